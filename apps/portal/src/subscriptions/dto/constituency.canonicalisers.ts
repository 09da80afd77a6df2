import { RejectedValue } from '@vigia/common';
import { canonicaliseIndicator, IndicatorType } from '@vigia/indicators';

/**
 * A constituency network in canonical CIDR text, by the indicator rules (host bits refused, IPv6 compressed...);
 * a single address becomes its /32 or /128.
 */
export function canonicaliseCidr(value: unknown): string | RejectedValue {
  if (typeof value !== 'string') return new RejectedValue(value, 'must be a string such as 198.51.100.0/24');
  const type = value.includes(':') ? IndicatorType.Ipv6 : IndicatorType.Ipv4;
  const result = canonicaliseIndicator(type, value);
  if (!result.ok) return new RejectedValue(value, result.reason);
  return result.isCidr ? result.value : `${result.value}/${type === IndicatorType.Ipv6 ? 128 : 32}`;
}

/** An AS number as a number (`64496`, `"AS64496"` and asdot are read); reserved numbers are refused. */
export function canonicaliseAsn(value: unknown): number | RejectedValue {
  if (typeof value !== 'number' && typeof value !== 'string') {
    return new RejectedValue(value, 'must be an AS number such as 64496');
  }
  const result = canonicaliseIndicator(IndicatorType.Asn, String(value));
  return result.ok ? Number(result.value) : new RejectedValue(value, result.reason);
}

// A suffix may be a public suffix or a top-level domain (a national CSIRT's constituency is often all of `.uy`),
// which the domain indicator rules refuse; so it is checked as the domain one label below it.
const PROBE_LABEL = 'x';

/** A domain suffix, canonicalised like a domain indicator (lower case, punycode); `*.` or a leading dot is dropped. */
export function canonicaliseDomainSuffix(value: unknown): string | RejectedValue {
  if (typeof value !== 'string') return new RejectedValue(value, 'must be a domain name such as gub.uy');
  const suffix = value.trim().replace(/^\*?\./, '');
  const result = canonicaliseIndicator(IndicatorType.Domain, `${PROBE_LABEL}.${suffix}`);
  if (!result.ok) return new RejectedValue(value, result.reason.split(`"${PROBE_LABEL}.`).join('"'));
  return result.value.slice(PROBE_LABEL.length + 1);
}
