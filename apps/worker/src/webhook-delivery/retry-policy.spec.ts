import { nextRetryDelay, parseRetryAfter, scheduledDelay } from './retry-policy';

describe('webhook retry policy', () => {
  const schedule = [5_000, 300_000, 1_800_000];

  it('follows the schedule with ±10 % jitter, then stops', () => {
    expect(scheduledDelay(schedule, 1, () => 0.5)).toBe(5_000);
    expect(scheduledDelay(schedule, 1, () => 0)).toBe(4_500);
    expect(scheduledDelay(schedule, 2, () => 1)).toBe(330_000);
    expect(scheduledDelay(schedule, 4)).toBeUndefined();
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-11-23T10:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Mon, 23 Nov 2026 10:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('Mon, 23 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('waits for Retry-After on 429 and 503 when it is later than the schedule, up to the cap', () => {
    const base = { schedule: [100], failedAttempts: 1, maxRetryAfterMs: 60_000 };
    expect(nextRetryDelay({ ...base, statusCode: 429, retryAfter: '2' })).toBe(2_000);
    expect(nextRetryDelay({ ...base, statusCode: 503, retryAfter: '3600' })).toBe(60_000);
    expect(nextRetryDelay({ ...base, statusCode: 500, retryAfter: '2' })).toBeLessThanOrEqual(110);
    expect(nextRetryDelay({ ...base, statusCode: 429, retryAfter: '2', failedAttempts: 2 })).toBeUndefined();
  });
});
