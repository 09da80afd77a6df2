import { changedFields, toReachabilityDto } from './directory.mapper';
import { ReachabilityStatus } from './dto/directory-answers.dto';

describe('toReachabilityDto', () => {
  const now = new Date('2026-01-10T12:00:00Z');
  const requestedAt = new Date('2026-01-08T12:00:00Z');

  it('says a contact never asked is unchecked', () => {
    expect(toReachabilityDto(null, now)).toEqual({
      status: ReachabilityStatus.Unchecked,
      requested_at: null,
      respond_by: null,
    });
  });

  it('says pending while the time to answer runs, confirmed once answered, unconfirmed after it ran out', () => {
    const open = { requestedAt, expiresAt: new Date('2026-01-11T12:00:00Z'), confirmedAt: null };
    const over = { ...open, expiresAt: new Date('2026-01-10T12:00:00Z') };
    expect(toReachabilityDto(open, now)).toEqual({
      status: ReachabilityStatus.Pending,
      requested_at: '2026-01-08T12:00:00.000Z',
      respond_by: '2026-01-11T12:00:00.000Z',
    });
    expect(toReachabilityDto(over, now).status).toBe(ReachabilityStatus.Unconfirmed);
    expect(toReachabilityDto({ ...over, confirmedAt: requestedAt }, now).status).toBe(ReachabilityStatus.Confirmed);
  });
});

describe('changedFields', () => {
  it('names the top-level fields whose value differs, nested lists compared by value', () => {
    const before = { website: null, contacts: [{ email: 'a@x.example' }], constituency: { cidrs: ['192.0.2.0/24'] } };
    const after = { website: null, contacts: [{ email: 'a@x.example' }], constituency: { cidrs: [] } };
    expect(changedFields(before, after)).toEqual(['constituency']);
    expect(changedFields(before, before)).toEqual([]);
  });
});
