import { ErrorCode, RejectedValue, VigiaException } from '@vigia/common';
import { canonicaliseIndicator, IndicatorType, refang } from '@vigia/indicators';
import { canonicaliseDomainSuffix } from '../subscriptions/dto/constituency.canonicalisers';

/** What a lookup asks about, canonical: an address or network, a domain and its parent domains, or an AS number. */
export type LookupValue =
  | { type: IndicatorType.Ipv4 | IndicatorType.Ipv6; value: string }
  | { type: IndicatorType.Domain; value: string; suffixes: string[] }
  | { type: IndicatorType.Asn; value: string; asn: number };

const AS_NUMBER = /^(?:as\s*)?\d+(?:\.\d+)?$/i;
const IPV4_LIKE = /^[\d.]+(?:\/\d+)?$/;

const refused = (value: string, reason: string): VigiaException =>
  new VigiaException(ErrorCode.ValidationFailed, `Cannot look up this value: ${reason}`, [
    { path: 'value', value, reason },
  ]);

/**
 * Reads a lookup value by the indicator rules (refanged, canonical): `AS64500`, `64500` or asdot is an AS number;
 * anything with a colon is IPv6, dotted digits IPv4 (a network in CIDR form too); anything else a domain name, IDN or
 * punycode alike. Throws a 400 with the reason otherwise.
 */
export function readLookupValue(raw: string): LookupValue {
  const text = refang(raw.trim());
  if (text.includes('://')) throw refused(raw, 'this is a URL: look up its host name instead');
  if (AS_NUMBER.test(text)) {
    const result = canonicaliseIndicator(IndicatorType.Asn, text);
    if (!result.ok) throw refused(raw, result.reason);
    return { type: IndicatorType.Asn, value: result.value, asn: Number(result.value) };
  }
  if (text.includes(':') || IPV4_LIKE.test(text)) {
    const type = text.includes(':') ? IndicatorType.Ipv6 : IndicatorType.Ipv4;
    const result = canonicaliseIndicator(type, text);
    if (!result.ok) throw refused(raw, result.reason);
    return { type, value: result.value };
  }
  const domain = canonicaliseDomainSuffix(text);
  if (domain instanceof RejectedValue) throw refused(raw, domain.reason);
  return { type: IndicatorType.Domain, value: domain, suffixes: parentDomains(domain) };
}

/** `a.b.example` → `a.b.example`, `b.example`, `example`: every suffix a constituency may hold it by. */
export const parentDomains = (domain: string): string[] =>
  domain.split('.').map((_, index, labels) => labels.slice(index).join('.'));
