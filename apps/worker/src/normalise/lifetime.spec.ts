import { DEFAULT_INDICATOR_LIFETIME_DAYS } from '@vigia/config';
import { INDICATOR_TYPES, IndicatorType } from '@vigia/indicators';
import { LIFETIME_KIND, renewedValidUntil, validUntilFor, validityEnds } from './lifetime';

const now = '2026-11-23T12:00:00.000Z';
const ends = validityEnds(now, DEFAULT_INDICATOR_LIFETIME_DAYS);

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
  ])('a %s reported now is valid until %s by default', (type, expected) => {
    expect(validUntilFor(type, ends)).toBe(expected);
  });

  it('follows the configured days, 0 meaning never', () => {
    const configured = validityEnds(now, { ...DEFAULT_INDICATOR_LIFETIME_DAYS, ip: 1, domain: 0, hash: 2 });
    expect(validUntilFor(IndicatorType.Ipv4, configured)).toBe('2026-11-24T12:00:00.000Z');
    expect(validUntilFor(IndicatorType.Domain, configured)).toBeUndefined();
    expect(validUntilFor(IndicatorType.Md5, configured)).toBe('2026-11-25T12:00:00.000Z');
  });

  it('renews to a fresh lifetime, never shortening one already longer', () => {
    expect(renewedValidUntil('2026-12-01T00:00:00.000Z', IndicatorType.Ipv4, ends)).toBe('2026-12-23T12:00:00.000Z');
    expect(renewedValidUntil('2027-06-01T00:00:00.000Z', IndicatorType.Ipv4, ends)).toBe('2027-06-01T00:00:00.000Z');
    expect(renewedValidUntil(null, IndicatorType.Ipv4, ends)).toBe('2026-12-23T12:00:00.000Z');
    expect(renewedValidUntil('2026-12-01T00:00:00.000Z', IndicatorType.Sha1, ends)).toBeUndefined();
  });
});
