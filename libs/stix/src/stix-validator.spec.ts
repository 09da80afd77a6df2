import { IndicatorType } from '@vigia/indicators';
import { buildBundle } from './bundle';
import { buildIndicatorArtifacts } from './indicator-artifacts';
import { StixValidator } from './stix-validator';
import { stixPatternSyntaxError } from './validation/pattern-syntax';

// Conformance with the OASIS schemas is tested in libs/stix/testing/stix-conformance.spec.ts; this file checks
// what the validator says and that it needs nothing but itself.
const validator = new StixValidator();
const indicator = buildIndicatorArtifacts(IndicatorType.Ipv4, '198.51.100.7').objects[0] as unknown as Record<
  string,
  unknown
>;

describe('StixValidator', () => {
  it('knows every STIX 2.1 object type and tells them from custom ones', () => {
    expect(validator.objectTypes).toHaveLength(43);
    expect(validator.isStandardType('malware-analysis')).toBe(true);
    expect(validator.isStandardType('x-acme-widget')).toBe(false);
  });

  it('says which property is wrong and why', () => {
    const { pattern: _pattern, ...withoutPattern } = indicator;
    expect(validator.validate(withoutPattern).errors).toEqual(["/: must have required property 'pattern'"]);
    expect(validator.validate({ ...indicator, created: '2024-05-01 12:00' }).errors[0]).toMatch(
      /^\/created: must match pattern/,
    );
    expect(validator.validate({ ...indicator, Created: 'x' }).errors).toEqual(['/: invalid property name "Created"']);
    expect(validator.validate({ ...indicator, pattern: "[ipv4-addr:value = '1.2.3.4'" }).errors).toEqual([
      '/pattern: not a valid STIX pattern: expected "]", found the end at 28',
    ]);
  });

  it('checks a custom object with the common properties, and names the failing object of a bundle', () => {
    const custom = { type: 'x-acme-score', id: 'x-acme-score--0b7c5c3c-1c1a-4f6e-9f43-1f5f2a4e9d10', score: 7 };
    expect(validator.validate(custom).valid).toBe(true);
    expect(validator.validate({ ...custom, id: 'x-acme-score--1' }).valid).toBe(false);
    expect(validator.validate({ type: 'X!' }).errors).toEqual(['/type: "X!" is not a valid STIX type name (§3.1)']);
    const bundle = buildBundle([indicator as never]) as unknown as Record<string, unknown>;
    expect(validator.validateBundle(bundle)).toEqual({ valid: true, errors: [] });
    const broken = { ...bundle, objects: [indicator, { ...indicator, valid_from: 'yesterday' }] };
    expect(validator.validateBundle(broken).errors).toEqual([
      expect.stringMatching(/^\/objects\/1\/valid_from: must match pattern/),
    ]);
    expect(validator.validateBundle(indicator).valid).toBe(false);
    const hostile = { ...bundle, objects: Array.from({ length: 1000 }, () => ({ ...indicator, valid_from: 'x' })) };
    expect(validator.validateBundle(hostile, 10)).toMatchObject({ valid: false, unchecked: 990 });
    expect(validator.validateBundle(hostile, 10).errors).toHaveLength(10);
  });
});

describe('stixPatternSyntaxError', () => {
  it.each([
    "[ipv4-addr:value = '198.51.100.1/32']",
    "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f'] OR [file:name = 'x']",
    "[network-traffic:dst_ref.value ISSUBSET '10.0.0.0/8' AND network-traffic:dst_port IN (80, 443)]",
    "[email-message:body_multipart[*].body_raw_ref.name MATCHES '^Final Report.+\\\\.exe$']",
    "([a:b = 1] AND [c:d != true]) FOLLOWEDBY [e:f LIKE 'x%'] WITHIN 5.5 SECONDS REPEATS 3 TIMES",
    "[x:y > h'ff' AND x:z < b'aGk=' AND x:t NOT <= t'2020-01-01T00:00:00Z' AND EXISTS x:w]",
    "[file:name NOT = 'a'] START t'2016-01-01T00:00:00Z' STOP t'2016-02-01T00:00:00.5Z'",
  ])('accepts %s', (pattern) => {
    expect(stixPatternSyntaxError(pattern)).toBeUndefined();
  });

  it.each([
    ['', /expected "\[" or "\("/],
    ['ipv4-addr:value = 1', /expected "\[" or "\("/],
    ["[ipv4-addr:value = '1]", /unterminated string/],
    ["[ipv4-addr:value = 'a' AND]", /expected an object type/],
    ["[Ipv4:value = 'a']", /expected an object type/],
    ["[a:b = 'x'] WITHIN 0 SECONDS", /positive number of seconds/],
    ["[a:b = 'x'] START '2016' STOP t'2016-01-01T00:00:00Z'", /timestamp literal/],
    ['[a:b > true]', /orderable literal/],
    ["[a:b = 'x'] [c:d = 'y']", /end of the pattern/],
    ["[a:b = 'x\\n']", /unexpected character|unterminated/],
  ])('refuses %s', (pattern, reason) => {
    expect(stixPatternSyntaxError(pattern)).toMatch(reason);
  });
});
