import { canonicalizeJson, type JsonValue } from './json-canonicalize';

// Vectors from the RFC 8785 reference implementation, github.com/cyberphone/json-canonicalization testdata/.
describe('canonicalizeJson (RFC 8785)', () => {
  it('serialises numbers and escapes strings as ECMAScript does (testdata values.json)', () => {
    const input = String.raw`{
      "numbers": [1E30, 4.50, 333333333.33333329, 2e-3, 0.000000000000000000000000001],
      "escaping": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
      "literals": [null, true, false]
    }`;
    expect(canonicalizeJson(JSON.parse(input) as JsonValue)).toBe(
      String.raw`{"escaping":"€$\u000f\nA'B\"\\\\\"/","literals":[null,true,false],"numbers":[1e+30,4.5,333333333.3333333,0.002,1e-27]}`,
    );
  });

  it('sorts keys by UTF-16 code units, not by code point or locale (testdata weird.json)', () => {
    const input = String.raw`{
      "\u20ac": "Euro Sign",
      "1": "One",
      "\u0080": "Control\u007f",
      "\ud83d\ude02": "Smiley",
      "\u00f6": "Latin Small Letter O With Diaeresis",
      "\ufb33": "Hebrew Letter Dalet With Dagesh",
      "</script>": "Browser Challenge"
    }`;
    expect(canonicalizeJson(JSON.parse(input) as JsonValue)).toBe(
      '{"1":"One","</script>":"Browser Challenge","\u0080":"Control\u007f","\u00f6":"Latin Small Letter O With Diaeresis",' +
        '"\u20ac":"Euro Sign","\ud83d\ude02":"Smiley","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it('sorts nested objects, keeps array order and skips undefined members', () => {
    expect(canonicalizeJson({ b: [3, { z: 1, a: 2 }], a: { d: undefined, c: -0 } })).toBe(
      '{"a":{"c":0},"b":[3,{"a":2,"z":1}]}',
    );
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY])('rejects the number %p', (value) => {
    expect(() => canonicalizeJson({ value })).toThrow(TypeError);
  });

  it('rejects strings with a lone surrogate (not I-JSON)', () => {
    expect(() => canonicalizeJson({ value: 'a\ud800b' })).toThrow(TypeError);
    expect(() => canonicalizeJson({ value: '\ud83d\ude02' })).not.toThrow();
  });
});
