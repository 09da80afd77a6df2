import { RangeSet, parseIndicatorRange, parseRangeEntry } from './ip-ranges';

describe('RangeSet', () => {
  const set = new RangeSet<number>([
    { first: 50, last: 60 },
    { first: 10, last: 20 },
    { first: 15, last: 30 },
    { first: 100, last: 100 },
  ]);

  it('merges overlapping ranges', () => {
    expect(set.size).toBe(3);
  });

  it.each([
    [10, 10, true],
    [30, 30, true],
    [31, 49, false],
    [0, 9, false],
    [0, 10, true],
    [25, 55, true],
    [61, 99, false],
    [61, 100, true],
    [101, 1000, false],
    [0, 1000, true],
  ])('[%i, %i] overlaps: %s', (first, last, expected) => {
    expect(set.overlaps(first, last)).toBe(expected);
  });

  it('works on bigints and when empty', () => {
    const v6 = new RangeSet([{ first: 1n << 100n, last: (1n << 101n) - 1n }]);
    expect(v6.overlaps(1n << 100n, 1n << 100n)).toBe(true);
    expect(v6.overlaps(0n, 5n)).toBe(false);
    expect(new RangeSet<number>([]).overlaps(0, 10)).toBe(false);
  });
});

describe('address parsing', () => {
  it('turns entries and indicator values into ranges', () => {
    expect(parseRangeEntry('10.0.0.0/8')).toEqual({ family: 'ipv4', range: { first: 167772160, last: 184549375 } });
    expect(parseRangeEntry('8.8.8.8')).toEqual({ family: 'ipv4', range: { first: 134744072, last: 134744072 } });
    expect(parseRangeEntry('255.255.255.255')).toEqual({
      family: 'ipv4',
      range: { first: 4294967295, last: 4294967295 },
    });
    expect(parseRangeEntry('::1/128')).toEqual({ family: 'ipv6', range: { first: 1n, last: 1n } });
    expect(parseRangeEntry('fc00::/7').range).toEqual({
      first: 0xfcn << 120n,
      last: (0xfdn << 120n) | ((1n << 120n) - 1n),
    });
    expect(parseIndicatorRange('ipv4', '192.168.1.0/24')?.range).toEqual({ first: 3232235776, last: 3232236031 });
    expect(parseIndicatorRange('ipv6', '2001:db8::1')?.range).toEqual({
      first: (0x20010db8n << 96n) | 1n,
      last: (0x20010db8n << 96n) | 1n,
    });
  });

  it('refuses what is not an address', () => {
    expect(() => parseRangeEntry('10.0.0.0/33')).toThrow();
    expect(() => parseRangeEntry('example.com')).toThrow();
    expect(parseIndicatorRange('ipv4', '10.0.0')).toBeUndefined();
    expect(parseIndicatorRange('ipv4', '10.0.0.256')).toBeUndefined();
    expect(parseIndicatorRange('ipv6', 'zz::1')).toBeUndefined();
  });
});
