import { QueueKeys } from 'bullmq';
import { deliveryJobId, mailJobId, QueueName, warningsJobId } from './jobs';
import { outboxMarkerKey } from './outbox-relay.service';
import { queueKeyPrefix } from './queue-keys';

// ioredis's own slot function (CRC16 of the key's hash tag, mod 16384); it ships without types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const clusterSlotOf = require('cluster-key-slot') as (key: string) => number;

/** Every key BullMQ keeps for a queue (its lists, sets, hashes, streams) and for one of its jobs. */
const keysOf = (prefix: string, queue: QueueName, jobId: string): string[] => {
  const keys = new QueueKeys(queueKeyPrefix(prefix));
  const jobKey = keys.toKey(queue, jobId);
  return [...Object.values(keys.getKeys(queue)), jobKey, `${jobKey}:lock`, `${jobKey}:logs`, `${jobKey}:dependencies`];
};

describe('queue keys on a Redis Cluster', () => {
  it('computes slots as Redis does (the example of the cluster specification)', () => {
    expect(clusterSlotOf('123456789')).toBe(12739);
    expect(clusterSlotOf('{user1000}.following')).toBe(clusterSlotOf('{user1000}.followers'));
  });

  it.each(['vigia', 'vigia-test-1a2b3c-d4e5f6a7', 'network.prod:eu'])(
    'puts every key of every queue and the outbox marker in one slot (REDIS_PREFIX=%s)',
    (prefix) => {
      const jobIds = [deliveryJobId('5b0e6f0e-3c52-4f7e-9a57-2f1f4c7a9d10'), mailJobId('m-1'), warningsJobId('r-1')];
      const keys = Object.values(QueueName).flatMap((queue) => jobIds.flatMap((id) => keysOf(prefix, queue, id)));
      keys.push(outboxMarkerKey(prefix));
      expect(keys.length).toBeGreaterThan(50);
      const slots = new Set(keys.map(clusterSlotOf));
      expect([...slots]).toEqual([clusterSlotOf(prefix)]);
    },
  );

  it('keeps the configured prefix readable in front of every key', () => {
    expect(keysOf('vigia', QueueName.Reports, 'r-1')).toContain('{vigia}:reports:r-1');
  });
});
