import { IndicatorType } from '@vigia/indicators';
import { AddressFamily, AddressRange, RangeSet, parseIndicatorRange, parseRangeEntry } from './ip-ranges';
import { Warninglist } from './warninglist';

interface NamedRanges<T extends number | bigint> {
  name: string;
  ranges: RangeSet<T>;
}

const IPV4_HOST = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/**
 * Answers "which warninglist, if any, holds this indicator?" for every indicator type:
 * - ipv4 / ipv6 (address or network): the cidr lists, by overlap, one binary search per list;
 * - domain: the domain lists, the value and each parent domain looked up in one map;
 * - url: the host against the cidr lists when it is an address; against the domain lists only when the URL is a bare
 *   site (`https://www.google.com/`), since a path on a popular platform (a phishing form, a payload on a file
 *   host) is a real indicator;
 * - email: exact lists only, since a mailbox at a popular provider is a real indicator;
 * - every type: the exact lists.
 * Lists are consulted in load order; the first match names the list.
 */
export class WarninglistMatcher {
  private readonly ipv4: NamedRanges<number>[] = [];
  private readonly ipv6: NamedRanges<bigint>[] = [];
  private readonly domains = new Map<string, string>();
  private readonly exact = new Map<string, string>();

  constructor(readonly lists: readonly Warninglist[]) {
    for (const list of lists) {
      if (list.type === 'cidr') this.addRanges(list);
      const map = list.type === 'domain' ? this.domains : list.type === 'exact' ? this.exact : undefined;
      for (const entry of map ? list.entries : []) if (!map?.has(entry)) map?.set(entry, list.name);
    }
  }

  /** The name of the list that holds the canonical value, or undefined when none does. */
  match(type: IndicatorType, value: string): string | undefined {
    const exact = this.exact.size > 0 ? this.exact.get(value.toLowerCase()) : undefined;
    if (exact !== undefined) return exact;
    switch (type) {
      case IndicatorType.Ipv4:
        return this.matchAddress('ipv4', value);
      case IndicatorType.Ipv6:
        return this.matchAddress('ipv6', value);
      case IndicatorType.Domain:
        return this.matchDomain(value);
      case IndicatorType.Url:
        return this.matchUrl(value);
      default:
        return undefined;
    }
  }

  private addRanges(list: Warninglist): void {
    const v4: AddressRange<number>[] = [];
    const v6: AddressRange<bigint>[] = [];
    for (const entry of list.entries) {
      const parsed = parseRangeEntry(entry);
      if (parsed.family === 'ipv4') v4.push(parsed.range);
      else v6.push(parsed.range);
    }
    if (v4.length > 0) this.ipv4.push({ name: list.name, ranges: new RangeSet(v4) });
    if (v6.length > 0) this.ipv6.push({ name: list.name, ranges: new RangeSet(v6) });
  }

  private matchAddress(family: AddressFamily, value: string): string | undefined {
    const parsed = parseIndicatorRange(family, value);
    if (parsed === undefined) return undefined;
    if (parsed.family === 'ipv4') {
      const { first, last } = parsed.range;
      return this.ipv4.find((list) => list.ranges.overlaps(first, last))?.name;
    }
    const { first, last } = parsed.range;
    return this.ipv6.find((list) => list.ranges.overlaps(first, last))?.name;
  }

  private matchDomain(domain: string): string | undefined {
    if (this.domains.size === 0) return undefined;
    for (let index = -1; ; index = domain.indexOf('.', index + 1)) {
      const found = this.domains.get(index === -1 ? domain : domain.slice(index + 1));
      if (found !== undefined) return found;
      if (index !== -1 && domain.indexOf('.', index + 1) === -1) return undefined;
    }
  }

  private matchUrl(value: string): string | undefined {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return undefined;
    }
    const host = url.hostname;
    if (host.startsWith('[')) return this.matchAddress('ipv6', host.slice(1, -1));
    if (IPV4_HOST.test(host)) return this.matchAddress('ipv4', host);
    const bareSite = (url.pathname === '/' || url.pathname === '') && url.search === '' && url.hash === '';
    return bareSite ? this.matchDomain(host) : undefined;
  }
}
