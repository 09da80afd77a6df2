import { IndicatorType } from '@vigia/indicators';
import { stixPatternFor } from './patterns';
import { indicatorTypesOfPattern, readStixPattern } from './pattern-values';

describe('readStixPattern', () => {
  it.each([
    [IndicatorType.Ipv4, '198.51.100.7'],
    [IndicatorType.Ipv4, '198.51.100.0/24'],
    [IndicatorType.Ipv6, '2001:db8::/32'],
    [IndicatorType.Domain, 'evil.example'],
    [IndicatorType.Url, "https://x.example/a'b\\c"],
    [IndicatorType.Email, "o'brien@example.org"],
    [IndicatorType.Md5, 'd41d8cd98f00b204e9800998ecf8427e'],
    [IndicatorType.Sha1, 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
    [IndicatorType.Sha256, 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    [
      IndicatorType.Sha512,
      'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e',
    ],
    [IndicatorType.Asn, '64496'],
  ])('reads back what libs/stix writes for %s %s', (type, value) => {
    expect(readStixPattern(stixPatternFor(type as never, value))).toEqual({ indicators: [{ type, value }] });
  });

  it('reads comparisons joined by OR', () => {
    expect(readStixPattern("[domain-name:value = 'a.example' OR domain-name:value = 'b.example']")).toEqual({
      indicators: [
        { type: IndicatorType.Domain, value: 'a.example' },
        { type: IndicatorType.Domain, value: 'b.example' },
      ],
    });
    expect(
      readStixPattern("[ipv4-addr:value = '192.0.2.1'] OR [file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']"),
    ).toEqual({
      indicators: [
        { type: IndicatorType.Ipv4, value: '192.0.2.1' },
        { type: IndicatorType.Md5, value: 'd41d8cd98f00b204e9800998ecf8427e' },
      ],
    });
  });

  it('refuses patterns whose meaning a flat list would lose', () => {
    expect(readStixPattern("[ipv4-addr:value = '192.0.2.1' AND network-traffic:dst_port = 443]")).toEqual({
      reason: expect.stringContaining('AND'),
    });
    expect(readStixPattern("[file:name = 'a.exe'] FOLLOWEDBY [file:name = 'b.exe'] WITHIN 60 SECONDS")).toEqual({
      reason: expect.stringContaining('FOLLOWEDBY'),
    });
    expect(readStixPattern("[process:name = 'x']")).toEqual({ reason: expect.stringContaining('process:name') });
  });

  it('is not fooled by operators inside string literals', () => {
    expect(readStixPattern("[domain-name:value = 'AND.example']")).toEqual({
      indicators: [{ type: IndicatorType.Domain, value: 'AND.example' }],
    });
  });
});

describe('indicatorTypesOfPattern', () => {
  it('names the Vigia types a pattern compares, whatever its operators', () => {
    expect(
      indicatorTypesOfPattern(
        "[ipv4-addr:value = '198.51.100.1' AND url:value MATCHES '^https?://a\\\\.example/'] WITHIN 60 SECONDS",
      ).sort(),
    ).toEqual([IndicatorType.Ipv4, IndicatorType.Url]);
    expect(indicatorTypesOfPattern("[file:hashes.'SHA-256' = 'ab' OR file:name = 'x.exe']")).toEqual([
      IndicatorType.Sha256,
    ]);
    expect(indicatorTypesOfPattern("[process:name = 'url:value = x']")).toEqual([]);
  });
});
