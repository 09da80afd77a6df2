import { IPv4, IPv6 } from 'ipaddr.js';

import { IndicatorType } from './indicator-type';
import { accept, CanonicaliseResult, quote, reject } from './result';

type IpType = IndicatorType.Ipv4 | IndicatorType.Ipv6;
type Parsed = { ok: true; address: IPv4 | IPv6 } | { ok: false; reason: string };

const FAMILY = {
  [IndicatorType.Ipv4]: { label: 'IPv4', bits: 32, minPrefix: 8 },
  [IndicatorType.Ipv6]: { label: 'IPv6', bits: 128, minPrefix: 16 },
} as const;

const PREFIX_LENGTH = /^(?:0|[1-9]\d{0,2})$/;

/**
 * A single address or a CIDR network of the declared family, in canonical text: dotted decimal for IPv4, RFC 5952
 * for IPv6 (`2001:DB8:0:0:0:0:0:1` → `2001:db8::1`).
 *
 * Decisions:
 * - A network with host bits set (`10.0.0.1/8`) is rejected, not silently truncated: the submitter may have meant the
 *   host or the network and the two lead to very different blocking. The reason suggests the network address.
 * - `/32` (IPv4) and `/128` (IPv6) are single addresses and come back without the prefix, `isCidr: false`.
 * - Networks broader than /8 (IPv4) or /16 (IPv6) are rejected: as shared indicators they would match a large part of
 *   the Internet (`0.0.0.0/0` blocks everything), which is always a mistake in an incident report.
 * - IPv4-mapped IPv6 addresses (`::ffff:192.0.2.1`) are rejected with a hint to submit the IPv4 address, so the same
 *   host is never stored under two types and correlation does not miss it.
 * - IPv4 must be four decimal parts (`ipaddr.IPv4.isValidFourPartDecimal`): `1.2.3`, `010.0.0.1` and `0x7f.0.0.1`
 *   are accepted by inet_aton but read differently by different tools, so they are refused rather than guessed.
 * - IPv6 zone indexes (`fe80::1%eth0`) only mean something on one host and are refused.
 */
export function canonicaliseIp(type: IpType, value: string): CanonicaliseResult {
  const family = FAMILY[type];
  const slash = value.indexOf('/');
  const parsed = type === IndicatorType.Ipv4 ? parseIpv4(value, slash) : parseIpv6(value, slash);
  if (!parsed.ok) return reject(parsed.reason);
  const address = format(parsed.address);
  if (slash === -1) return accept(address);

  const prefixText = value.slice(slash + 1);
  if (!PREFIX_LENGTH.test(prefixText) || Number(prefixText) > family.bits) {
    return reject(`CIDR prefix length must be a whole number from 0 to ${family.bits}, got ${quote(prefixText)}`);
  }
  const prefix = Number(prefixText);
  if (prefix === family.bits) return accept(address);
  if (prefix < family.minPrefix) {
    return reject(
      `${family.label} network /${prefix} is too broad for an indicator (the broadest allowed is /${family.minPrefix})`,
    );
  }
  const cidr = `${address}/${prefix}`;
  const network = format(
    type === IndicatorType.Ipv4 ? IPv4.networkAddressFromCIDR(cidr) : IPv6.networkAddressFromCIDR(cidr),
  );
  if (network !== address) return reject(`CIDR has host bits set; did you mean ${network}/${prefix}?`);
  return accept(cidr, true);
}

function parseIpv4(value: string, slash: number): Parsed {
  const text = slash === -1 ? value : value.slice(0, slash);
  if (IPv4.isValidFourPartDecimal(text)) return { ok: true, address: IPv4.parse(text) };
  if (IPv6.isValid(text)) {
    const v6 = IPv6.parse(text);
    const hint = v6.isIPv4MappedAddress() ? `; it is the IPv4-mapped form of ${v6.toIPv4Address().toString()}` : '';
    return { ok: false, reason: `expected an IPv4 address but ${quote(text)} is IPv6; declare it as ipv6${hint}` };
  }
  if (IPv4.isValid(text)) {
    return {
      ok: false,
      reason:
        `${quote(text)} is not a dotted-decimal IPv4 address (four numbers 0-255 without leading zeros); ` +
        'short, octal and hex forms are ambiguous, write it out in full',
    };
  }
  return { ok: false, reason: `${quote(text)} is not a valid IPv4 address` };
}

function parseIpv6(value: string, slash: number): Parsed {
  let text = slash === -1 ? value : value.slice(0, slash);
  // Accept the bracketed form copied from a URL (`[2001:db8::1]`).
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  if (text.includes('%')) {
    return {
      ok: false,
      reason: `IPv6 zone index in ${quote(text)} is only meaningful on one host; remove the %… part`,
    };
  }
  if (!IPv6.isValid(text)) {
    const reason = IPv4.isValid(text)
      ? `expected an IPv6 address but ${quote(text)} is IPv4; declare it as ipv4`
      : `${quote(text)} is not a valid IPv6 address`;
    return { ok: false, reason };
  }
  const address = IPv6.parse(text);
  if (address.isIPv4MappedAddress()) {
    const v4 = address.toIPv4Address().toString();
    return {
      ok: false,
      reason: `${quote(text)} is an IPv4-mapped IPv6 address; submit the IPv4 address ${v4} as ipv4 instead`,
    };
  }
  return { ok: true, address };
}

function format(address: IPv4 | IPv6): string {
  return address instanceof IPv6 ? address.toRFC5952String() : address.toString();
}
