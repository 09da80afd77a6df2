import fc from 'fast-check';
import { IndicatorType } from '@vigia/indicators';
import { readStixPattern } from './pattern-values';
import { PatternableIndicatorType, stixPatternFor } from './patterns';
import { stixPatternSyntaxError } from './validation/pattern-syntax';

const STRING_TYPES: PatternableIndicatorType[] = [
  IndicatorType.Domain,
  IndicatorType.Url,
  IndicatorType.Email,
  IndicatorType.Sha256,
  IndicatorType.Ipv4,
];

/** Values built to break out of a quoted literal: apostrophes, backslashes, brackets and pattern keywords. */
const hostileValue = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc
    .array(fc.constantFrom("'", '\\', ']', '[', ' OR ', ' AND ', "\\'", ':value = ', 'x', '/', '\u2028', '\u0000'), {
      maxLength: 12,
    })
    .map((parts) => parts.join('')),
);

describe('STIX pattern building (property)', () => {
  it('no value breaks out of its literal: the pattern parses and reads back as that one value', () => {
    fc.assert(
      fc.property(fc.constantFrom(...STRING_TYPES), hostileValue, (type, value) => {
        const pattern = stixPatternFor(type, value);
        expect(stixPatternSyntaxError(pattern)).toBeUndefined();
        expect(readStixPattern(pattern)).toEqual({ indicators: [{ type, value }] });
      }),
      { numRuns: 2000 },
    );
  });
});
