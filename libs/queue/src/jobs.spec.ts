import { deliveryJobId, replayOfDeliveryJob } from './jobs';

const deliveryId = '5b0e6f0e-3c52-4f7e-9a57-2f1f4c7a9d10';

describe('replayOfDeliveryJob', () => {
  it('reads back the replay number deliveryJobId put in the job id', () => {
    for (const replay of [0, 1, 2, 37]) {
      expect(replayOfDeliveryJob(deliveryId, deliveryJobId(deliveryId, replay))).toBe(replay);
    }
  });

  it('knows no other id: another delivery’s, a malformed replay number, none at all', () => {
    expect(replayOfDeliveryJob(deliveryId, deliveryJobId('0f7a2c1e-8d4b-4e36-b0a9-61c3d2e5f478', 1))).toBeUndefined();
    for (const suffix of ['', '01', '1e0', '1.5', '-1', '0', 'x']) {
      expect(replayOfDeliveryJob(deliveryId, `${deliveryJobId(deliveryId)}-replay-${suffix}`)).toBeUndefined();
    }
    expect(replayOfDeliveryJob(deliveryId, undefined)).toBeUndefined();
  });
});
