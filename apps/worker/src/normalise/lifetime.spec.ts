import { DEFAULT_INDICATOR_LIFETIME_DAYS } from '@vigia/config';
import { INDICATOR_TYPES, IndicatorType } from '@vigia/indicators';
import { LIFETIME_KIND, renewedValidUntil, validUntilFor } from './lifetime';

const now = '2026-11-23T12:00:00.000Z';
const defaults = DEFAULT_INDICATOR_LIFETIME_DAYS;

describe('indicator lifetimes', () => {
  it('gives every indicator type a lifetime kind', () => {
    for (const type of INDICATOR_TYPES) expect(LIFETIME_KIND[type]).toBeDefined();
    expect(LIFETIME_KIND[IndicatorType.Ipv6]).toBe('ip');
    expect(LIFETIME_KIND[IndicatorType.Sha512]).toBe('hash');
  });

  it.each([
    [IndicatorType.Ipv4, '2026-12-23T12:00:00.000Z'],
    [IndicatorType.Ipv6, '2026-12-23T12:00:00.000Z'],
    [IndicatorType.Domain, '2027-02-21T12:00:00.000Z'],
    [IndicatorType.Url, '2027-01-22T12:00:00.000Z'],
    [IndicatorType.Email, '2027-05-22T12:00:00.000Z'],
    [IndicatorType.Asn, '2027-11-23T12:00:00.000Z'],
    [IndicatorType.Md5, undefined],
    [IndicatorType.Sha256, undefined],
    [IndicatorType.Cve, undefined],
  ])('a %s last seen now is valid until %s by default', (type, expected) => {
    expect(validUntilFor(type, now, now, defaults)).toBe(expected);
  });

  it('counts from when the value was last seen, never from later than now', () => {
    // A backfilled report of activity two years ago: long expired, not active for 30 more days.
    expect(validUntilFor(IndicatorType.Ipv4, '2024-11-23T12:00:00.000Z', now, defaults)).toBe(
      '2024-12-23T12:00:00.000Z',
    );
    // A last_seen in the future (clock skew) counts from now.
    expect(validUntilFor(IndicatorType.Ipv4, '2027-01-01T00:00:00.000Z', now, defaults)).toBe(
      '2026-12-23T12:00:00.000Z',
    );
  });

  it('follows the configured days, 0 meaning never', () => {
    const configured = { ...DEFAULT_INDICATOR_LIFETIME_DAYS, ip: 1, domain: 0, hash: 2 };
    expect(validUntilFor(IndicatorType.Ipv4, now, now, configured)).toBe('2026-11-24T12:00:00.000Z');
    expect(validUntilFor(IndicatorType.Domain, now, now, configured)).toBeUndefined();
    expect(validUntilFor(IndicatorType.Md5, now, now, configured)).toBe('2026-11-25T12:00:00.000Z');
  });

  it('renews to the later end, never shortening one already longer', () => {
    const fresh = validUntilFor(IndicatorType.Ipv4, now, now, defaults);
    expect(renewedValidUntil('2026-12-01T00:00:00.000Z', fresh)).toBe('2026-12-23T12:00:00.000Z');
    expect(renewedValidUntil('2027-06-01T00:00:00.000Z', fresh)).toBe('2027-06-01T00:00:00.000Z');
    expect(renewedValidUntil(null, fresh)).toBe('2026-12-23T12:00:00.000Z');
    expect(renewedValidUntil('2026-12-01T00:00:00.000Z', undefined)).toBeUndefined();
  });
});
