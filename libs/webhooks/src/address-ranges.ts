import { IPv4, IPv6, parse, parseCIDR } from 'ipaddr.js';

type Address = IPv4 | IPv6;

/**
 * The deprecated IPv4-compatible block (RFC 4291 §2.5.5.1): ipaddr.js calls `::7f00:1` (`[::127.0.0.1]` once a URL
 * parser has normalised it) plain unicast, yet stacks may route it to 127.0.0.1. `::` and `::1` have ranges of their own.
 */
const IPV4_COMPATIBLE = parseCIDR('::/96');
const IPV4_COMPATIBLE_DOTTED = /^(0{0,4}:){0,5}:(\d{1,3}\.){3}\d{1,3}$/;
const IPV4_COMPATIBLE_REASON = 'an IPv4-compatible IPv6 address (::/96, deprecated: it embeds an IPv4 address)';

/** What ipaddr.js calls a range, in words for the reason shown to the subscriber. */
const RANGE_NAMES: Readonly<Record<string, string>> = {
  unspecified: 'an unspecified address',
  broadcast: 'the broadcast address',
  multicast: 'a multicast address',
  linkLocal: 'a link-local address (cloud metadata services live there)',
  loopback: 'a loopback address',
  carrierGradeNat: 'a carrier-grade NAT address (RFC 6598)',
  private: 'a private address (RFC 1918)',
  uniqueLocal: 'a unique local address (RFC 4193)',
  reserved: 'a reserved address',
};

/**
 * Why a webhook must not connect to `address`, or undefined when it is a public (global unicast) address.
 *
 * Only ipaddr.js's `unicast` range is accepted; everything else is refused, including ranges that embed an IPv4
 * address (IPv4-mapped, NAT64, 6to4, Teredo), so a private IPv4 address cannot be smuggled inside an IPv6 one.
 */
export function refusedAddressReason(text: string): string | undefined {
  // ipaddr.js reads `::a.b.c.d` as IPv4-mapped (`::ffff:a.b.c.d`); it is the IPv4-compatible form.
  if (IPV4_COMPATIBLE_DOTTED.test(text)) return IPV4_COMPATIBLE_REASON;
  const address = parse(text);
  if (address instanceof IPv6 && address.isIPv4MappedAddress()) {
    const reason = refusedAddressReason(address.toIPv4Address().toString());
    return reason && `${reason}, IPv4-mapped`;
  }
  const range = address.range();
  if (range === 'unicast' && address instanceof IPv6 && address.match(IPV4_COMPATIBLE)) {
    return IPV4_COMPATIBLE_REASON;
  }
  if (range === 'unicast') return undefined;
  return RANGE_NAMES[range] ?? `a special-purpose address (${range})`;
}

/** True when `text` lies in one of the operator's allowed networks (an IPv4-mapped address counts as IPv4). */
export function inAllowedNetwork(text: string, allowedCidrs: readonly string[]): boolean {
  const address = unmapped(parse(text));
  return allowedCidrs.some((cidr) => {
    const [network, bits] = parseCIDR(cidr);
    return network.kind() === address.kind() && address.match(network, bits);
  });
}

const unmapped = (address: Address): Address =>
  address instanceof IPv6 && address.isIPv4MappedAddress() ? address.toIPv4Address() : address;
