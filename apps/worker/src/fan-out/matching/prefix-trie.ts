import { IPv4, parseCIDR, parse } from 'ipaddr.js';

interface TrieNode<V> {
  children: [TrieNode<V> | undefined, TrieNode<V> | undefined];
  values: V[];
}

const newNode = <V>(): TrieNode<V> => ({ children: [undefined, undefined], values: [] });

/** An address or network as the bits of its prefix, most significant first. */
export interface Prefix {
  family: 'ipv4' | 'ipv6';
  bits: bigint;
  length: number;
}

const WIDTH = { ipv4: 32, ipv6: 128 } as const;

/** Parses `198.51.100.0/24`, `2001:db8::/32` or a single address (a full-length prefix); undefined if neither. */
export function parsePrefix(value: string): Prefix | undefined {
  try {
    const [address, length] = value.includes('/') ? parseCIDR(value) : [parse(value), undefined];
    const family = address instanceof IPv4 ? 'ipv4' : 'ipv6';
    const bits = address.toByteArray().reduce((sum, byte) => (sum << 8n) | BigInt(byte), 0n);
    return { family, bits, length: length ?? WIDTH[family] };
  } catch {
    return undefined;
  }
}

/**
 * A binary trie of IP prefixes, one per address family. `overlapping` returns the values of every stored prefix
 * that contains the query or lies inside it, walking at most the query's prefix length plus the subtree below:
 * the cost does not grow with the number of stored prefixes that cannot match.
 */
export class PrefixTrie<V> {
  private readonly roots = { ipv4: newNode<V>(), ipv6: newNode<V>() };

  insert(prefix: Prefix, value: V): void {
    let node = this.roots[prefix.family];
    const width = WIDTH[prefix.family];
    for (let depth = 0; depth < prefix.length; depth++) {
      const bit = Number((prefix.bits >> BigInt(width - 1 - depth)) & 1n);
      node = node.children[bit] ??= newNode<V>();
    }
    node.values.push(value);
  }

  overlapping(prefix: Prefix): V[] {
    const found: V[] = [];
    let node: TrieNode<V> | undefined = this.roots[prefix.family];
    const width = WIDTH[prefix.family];
    for (let depth = 0; node && depth < prefix.length; depth++) {
      found.push(...node.values);
      node = node.children[Number((prefix.bits >> BigInt(width - 1 - depth)) & 1n)];
    }
    if (node) collectSubtree(node, found);
    return found;
  }
}

function collectSubtree<V>(node: TrieNode<V>, into: V[]): void {
  into.push(...node.values);
  for (const child of node.children) if (child) collectSubtree(child, into);
}
