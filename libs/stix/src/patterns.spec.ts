import { IndicatorType } from '@vigia/indicators';
import { StixInputError } from './errors';
import { escapePatternString, parseAsNumber, stixPatternFor, type PatternableIndicatorType } from './patterns';

describe('stixPatternFor', () => {
  it.each<[PatternableIndicatorType, string, string]>([
    [IndicatorType.Ipv4, '198.51.100.7', "[ipv4-addr:value = '198.51.100.7']"],
    [IndicatorType.Ipv4, '198.51.100.0/24', "[ipv4-addr:value ISSUBSET '198.51.100.0/24']"],
    [IndicatorType.Ipv6, '2001:db8::1', "[ipv6-addr:value = '2001:db8::1']"],
    [IndicatorType.Ipv6, '2001:db8::/32', "[ipv6-addr:value ISSUBSET '2001:db8::/32']"],
    [IndicatorType.Domain, 'xn--bcher-kva.example', "[domain-name:value = 'xn--bcher-kva.example']"],
    [IndicatorType.Url, 'https://example.com/a?b=c&d=e', "[url:value = 'https://example.com/a?b=c&d=e']"],
    [IndicatorType.Email, 'phish@example.com', "[email-addr:value = 'phish@example.com']"],
    [IndicatorType.Md5, 'd41d8cd98f00b204e9800998ecf8427e', "[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']"],
    [
      IndicatorType.Sha1,
      'da39a3ee5e6b4b0d3255bfef95601890afd80709',
      "[file:hashes.'SHA-1' = 'da39a3ee5e6b4b0d3255bfef95601890afd80709']",
    ],
    [
      IndicatorType.Sha256,
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      "[file:hashes.'SHA-256' = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']",
    ],
    [IndicatorType.Sha512, 'ab'.repeat(64), `[file:hashes.'SHA-512' = '${'ab'.repeat(64)}']`],
    [IndicatorType.Asn, '64496', '[autonomous-system:number = 64496]'],
    [IndicatorType.Asn, 'AS64496', '[autonomous-system:number = 64496]'],
  ])('%s %s → %s', (type, value, pattern) => {
    expect(stixPatternFor(type, value)).toBe(pattern);
  });

  it('rejects CVE, which has no pattern, at run time too', () => {
    expect(() => stixPatternFor(IndicatorType.Cve as unknown as PatternableIndicatorType, 'CVE-2021-44228')).toThrow(
      StixInputError,
    );
  });
});

describe('string literals cannot be broken out of', () => {
  // One comparison, the whole pattern: `[path op 'literal']`, where the literal may hold only escaped ' and \.
  const SINGLE_COMPARISON = /^\[([a-z0-9-]+:[\w.']+) (=|ISSUBSET) '((?:[^'\\]|\\['\\])*)'\]$/s;

  const hostileValues = [
    "o'brien@example.com",
    'back\\slash',
    'trailing backslash\\',
    "\\'",
    "'] OR [x:y = '",
    "x'] OR [file:name = 'evil.exe",
    "\\'] OR [x:y = '\\",
    "''''",
    '\\\\\\',
    "https://example.com/?q=' AND [ipv4-addr:value = '10.0.0.1'] //",
    'line\nbreak\r\u0000 and ünïcödé',
  ];

  it.each(hostileValues)('keeps %j inside one literal and reads back unchanged', (value) => {
    const types: PatternableIndicatorType[] = [
      IndicatorType.Domain,
      IndicatorType.Url,
      IndicatorType.Email,
      IndicatorType.Ipv4,
    ];
    for (const type of types) {
      const match = SINGLE_COMPARISON.exec(stixPatternFor(type, value));
      expect(match).not.toBeNull();
      expect(unescapeLiteral(match?.[3] ?? '')).toBe(value);
    }
  });

  it('escapes backslash before apostrophe', () => {
    expect(escapePatternString("a\\'b")).toBe("a\\\\\\'b");
  });

  function unescapeLiteral(literal: string): string {
    return literal.replace(/\\(['\\])/g, '$1');
  }
});

describe('parseAsNumber', () => {
  it.each([
    ['64496', 64496],
    ['AS64496', 64496],
    ['as64496', 64496],
    ['0', 0],
    ['4294967295', 4294967295],
  ])('reads %s as %d', (text, number) => {
    expect(parseAsNumber(text)).toBe(number);
  });

  it.each(['', 'AS', '4294967296', '-1', '1.5', '64496]', "64496 OR [x:y = 'z']", 'AS 64496'])('rejects %j', (text) => {
    expect(() => parseAsNumber(text)).toThrow(StixInputError);
  });
});
