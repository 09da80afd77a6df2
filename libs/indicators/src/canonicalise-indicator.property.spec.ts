import fc from 'fast-check';
import { canonicaliseIndicator } from './canonicalise-indicator';
import { INDICATOR_TYPES, IndicatorType } from './indicator-type';

const anyType = fc.constantFrom(...INDICATOR_TYPES);

/** Plausible indicator text: real-looking values, their defanged forms, and noise around them. */
const indicatorLike = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.ipV4().map((ip) => ip.replace(/\./g, '[.]')),
  fc.ipV6(),
  fc.domain().map((domain) => domain.toUpperCase()),
  fc.webUrl().map((url) => url.replace(/^http/, 'hxxp')),
  fc.emailAddress(),
  fc.stringMatching(/^[0-9a-fA-F]{64}$/),
  fc.integer({ min: 0, max: 2 ** 32 }).map((asn) => `AS${asn}`),
);

describe('indicator canonicalisation (property)', () => {
  it('never throws, and answers a value or a reason', () => {
    fc.assert(
      fc.property(anyType, indicatorLike, (type, value) => {
        const result = canonicaliseIndicator(type, value);
        expect(result.ok ? typeof result.value : typeof result.reason).toBe('string');
      }),
      { numRuns: 3000 },
    );
  });

  it('is idempotent: a canonical value canonicalises to itself', () => {
    fc.assert(
      fc.property(anyType, indicatorLike, (type, value) => {
        const first = canonicaliseIndicator(type, value);
        if (!first.ok) return;
        expect(canonicaliseIndicator(type, first.value)).toEqual(first);
      }),
      { numRuns: 3000 },
    );
  });

  it('canonical values hold no NUL, line break or surrounding space', () => {
    fc.assert(
      fc.property(anyType, indicatorLike, (type, value) => {
        const result = canonicaliseIndicator(type, value);
        if (!result.ok) return;
        expect(['\u0000', '\r', '\n'].some((bad) => result.value.includes(bad))).toBe(false);
        expect(result.value).toBe(result.value.trim());
        if (type === IndicatorType.Domain) expect(result.value).toBe(result.value.toLowerCase());
      }),
      { numRuns: 3000 },
    );
  });
});
