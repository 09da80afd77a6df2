import { IPv4, IPv6, parse, parseCIDR } from 'ipaddr.js';

/** An inclusive range of addresses as integers: IPv4 as numbers, IPv6 as bigints. */
export interface AddressRange<T extends number | bigint> {
  first: T;
  last: T;
}

export type AddressFamily = 'ipv4' | 'ipv6';

/** A range of either family, so one parse serves the lookup of both. */
export type ParsedRange =
  { family: 'ipv4'; range: AddressRange<number> } | { family: 'ipv6'; range: AddressRange<bigint> };

const IPV4_BITS = 32;
const IPV6_BITS = 128n;
const IPV6_ALL = (1n << IPV6_BITS) - 1n;

/**
 * Sorted, merged, disjoint ranges answering "does [first, last] overlap any of them?" with one binary search:
 * the last range starting at or before `last` is the only candidate, because every earlier one ends before it.
 */
export class RangeSet<T extends number | bigint> {
  private readonly firsts: T[] = [];
  private readonly lasts: T[] = [];

  constructor(ranges: Iterable<AddressRange<T>>) {
    const sorted = [...ranges].sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
    for (const { first, last } of sorted) {
      const end = this.lasts.length - 1;
      // Overlapping ranges merge; adjacent ones may stay apart, the search only needs them disjoint.
      if (end >= 0 && first <= this.lasts[end]) {
        if (last > this.lasts[end]) this.lasts[end] = last;
      } else {
        this.firsts.push(first);
        this.lasts.push(last);
      }
    }
  }

  get size(): number {
    return this.firsts.length;
  }

  overlaps(first: T, last: T): boolean {
    let low = 0;
    let high = this.firsts.length - 1;
    let candidate = -1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (this.firsts[middle] <= last) {
        candidate = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return candidate >= 0 && this.lasts[candidate] >= first;
  }
}

/** A warninglist entry: a CIDR block or a single address of either family; throws on anything else. */
export function parseRangeEntry(entry: string): ParsedRange {
  const [address, prefix] = entry.includes('/') ? parseCIDR(entry) : [parse(entry), undefined];
  if (address instanceof IPv4) {
    return { family: 'ipv4', range: ipv4Range(ipv4ToNumber(address.octets), prefix ?? IPV4_BITS) };
  }
  return { family: 'ipv6', range: ipv6Range(ipv6ToBigInt(address), prefix ?? Number(IPV6_BITS)) };
}

/**
 * The range an indicator value covers. Values come canonicalised from ingest (dotted decimal, RFC 5952, optional
 * prefix), so IPv4 is read by hand: ipaddr.js would cost several times more on this hot path.
 */
export function parseIndicatorRange(family: AddressFamily, value: string): ParsedRange | undefined {
  const slash = value.indexOf('/');
  const address = slash === -1 ? value : value.slice(0, slash);
  const prefix = slash === -1 ? undefined : Number(value.slice(slash + 1));
  if (family === 'ipv4') {
    const parts = address.split('.');
    if (parts.length !== 4) return undefined;
    const octets = parts.map(Number);
    if (octets.some((octet) => !Number.isInteger(octet) || octet < 0 || octet > 255)) return undefined;
    return { family, range: ipv4Range(ipv4ToNumber(octets), prefix ?? IPV4_BITS) };
  }
  if (!IPv6.isValid(address)) return undefined;
  return { family, range: ipv6Range(ipv6ToBigInt(IPv6.parse(address)), prefix ?? Number(IPV6_BITS)) };
}

function ipv4ToNumber(octets: readonly number[]): number {
  // Multiplication, not <<, keeps the value an unsigned 32-bit number.
  return ((octets[0] * 256 + octets[1]) * 256 + octets[2]) * 256 + octets[3];
}

function ipv4Range(address: number, prefix: number): AddressRange<number> {
  const size = 2 ** (IPV4_BITS - prefix);
  const first = Math.floor(address / size) * size;
  return { first, last: first + size - 1 };
}

function ipv6ToBigInt(address: IPv6): bigint {
  return address.parts.reduce((value, part) => (value << 16n) | BigInt(part), 0n);
}

function ipv6Range(address: bigint, prefix: number): AddressRange<bigint> {
  const hostBits = IPV6_BITS - BigInt(prefix);
  const hostMask = (1n << hostBits) - 1n;
  const first = address & (IPV6_ALL ^ hostMask);
  return { first, last: first | hostMask };
}
