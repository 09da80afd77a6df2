import { PrefixTrie, parsePrefix } from './prefix-trie';

const trie = new PrefixTrie<string>();
for (const value of [
  '10.0.0.0/8',
  '10.1.0.0/16',
  '192.0.2.0/24',
  '192.0.2.128/25',
  '2001:db8::/32',
  '2001:db8:1::/48',
]) {
  trie.insert(parsePrefix(value)!, value);
}
const overlapping = (value: string) => trie.overlapping(parsePrefix(value)!).sort();

describe('PrefixTrie', () => {
  it('finds every prefix containing an address', () => {
    expect(overlapping('10.1.2.3')).toEqual(['10.0.0.0/8', '10.1.0.0/16']);
    expect(overlapping('10.2.0.1')).toEqual(['10.0.0.0/8']);
    expect(overlapping('192.0.2.200')).toEqual(['192.0.2.0/24', '192.0.2.128/25']);
    expect(overlapping('192.0.3.1')).toEqual([]);
  });

  it('finds prefixes inside a queried network as well as around it', () => {
    expect(overlapping('192.0.0.0/16')).toEqual(['192.0.2.0/24', '192.0.2.128/25']);
    expect(overlapping('10.1.128.0/17')).toEqual(['10.0.0.0/8', '10.1.0.0/16']);
    expect(overlapping('0.0.0.0/1')).toEqual(['10.0.0.0/8', '10.1.0.0/16']);
  });

  it('keeps the families apart', () => {
    expect(overlapping('2001:db8:1::5')).toEqual(['2001:db8:1::/48', '2001:db8::/32']);
    expect(overlapping('2001:db9::1')).toEqual([]);
    expect(overlapping('::ffff:10.1.2.3')).toEqual([]);
  });

  it('refuses what is not an address', () => {
    expect(parsePrefix('example.com')).toBeUndefined();
    expect(parsePrefix('10.0.0.0/33')).toBeUndefined();
  });
});
