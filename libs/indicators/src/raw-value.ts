import { IPv6 } from 'ipaddr.js';
import { canonicaliseIndicator } from './canonicalise-indicator';
import { IndicatorType } from './indicator-type';
import { refang } from './refang';
import { reject } from './result';

/** A raw value read as an indicator: its type, canonical value and, for URLs and e-mail addresses, their host. */
export interface RawIndicator {
  ok: true;
  type: IndicatorType;
  value: string;
  /** The host of a URL or e-mail address (a canonical domain or IP address). */
  host?: string;
}

export type RawIndicatorResult = RawIndicator | { ok: false; reason: string };

const HASH_BY_LENGTH: Readonly<Record<number, IndicatorType>> = {
  32: IndicatorType.Md5,
  40: IndicatorType.Sha1,
  64: IndicatorType.Sha256,
  128: IndicatorType.Sha512,
};
const HEX = /^[0-9a-f]+$/i;
const CVE = /^cve-\d{4}-\d{4,}$/i;
const ASN = /^as\d+(?:\.\d+)?$/i;
const BRACKETED_IPV6 = /^\[([0-9a-f:.]+)\](?::\d{1,5})?(?:[/?#].*)?$/i;
const IPV4 = /^(\d{1,3}(?:\.\d{1,3}){3})(\/\d{1,2})?(?::\d{1,5})?(?:[/?#].*)?$/;
const HOST_AND_MORE = /^([^/:?#]+)(?::\d{1,5})?([/?#].*)?$/;

/**
 * Reads a value as found in a log or pasted by an analyst (defanged, mixed case, with a port or a path) as the
 * indicator ingest would store, canonicalised by the same code (`canonicaliseIndicator`). With `type` the value is
 * read as that type only; without, the type is recognised: CVE ids, AS numbers, hashes by length, URLs (a scheme, or
 * a host followed by a path), e-mail addresses, IPv6 and IPv4 addresses or networks (a port or path after an address
 * is dropped), else a domain name (a port dropped).
 */
export function readRawIndicator(raw: string, type?: IndicatorType): RawIndicatorResult {
  if (typeof raw !== 'string') return reject('value must be a string');
  if (type !== undefined) return withHost(type, canonicaliseIndicator(type, raw));
  const text = refang(raw.trim());
  if (text === '') return reject('value is empty');
  if (CVE.test(text)) return withHost(IndicatorType.Cve, canonicaliseIndicator(IndicatorType.Cve, text));
  if (ASN.test(text)) return withHost(IndicatorType.Asn, canonicaliseIndicator(IndicatorType.Asn, text));
  const hash = HEX.test(text) ? HASH_BY_LENGTH[text.length] : undefined;
  if (hash) return withHost(hash, canonicaliseIndicator(hash, text));
  if (text.includes('://')) return withHost(IndicatorType.Url, canonicaliseIndicator(IndicatorType.Url, text));
  if (text.includes('@') && !text.includes('/')) {
    return withHost(IndicatorType.Email, canonicaliseIndicator(IndicatorType.Email, text));
  }
  const bracketed = BRACKETED_IPV6.exec(text);
  if (bracketed) return withHost(IndicatorType.Ipv6, canonicaliseIndicator(IndicatorType.Ipv6, bracketed[1]));
  if (text.includes(':') && IPv6.isValid(text.split('/')[0])) {
    return withHost(IndicatorType.Ipv6, canonicaliseIndicator(IndicatorType.Ipv6, text));
  }
  const ipv4 = IPV4.exec(text);
  if (ipv4) {
    return withHost(IndicatorType.Ipv4, canonicaliseIndicator(IndicatorType.Ipv4, ipv4[1] + (ipv4[2] ?? '')));
  }
  const host = HOST_AND_MORE.exec(text);
  if (host?.[2]) return withHost(IndicatorType.Url, canonicaliseIndicator(IndicatorType.Url, `http://${text}`));
  return withHost(IndicatorType.Domain, canonicaliseIndicator(IndicatorType.Domain, host ? host[1] : text));
}

function withHost(type: IndicatorType, result: ReturnType<typeof canonicaliseIndicator>): RawIndicatorResult {
  if (!result.ok) return { ok: false, reason: result.reason };
  if (type === IndicatorType.Email) return { ok: true, type, value: result.value, host: hostOfEmail(result.value) };
  if (type === IndicatorType.Url) return { ok: true, type, value: result.value, host: hostOfUrl(result.value) };
  return { ok: true, type, value: result.value };
}

const hostOfEmail = (value: string): string => value.slice(value.lastIndexOf('@') + 1);

function hostOfUrl(value: string): string | undefined {
  try {
    const host = new URL(value).hostname.replace(/^\[|\]$/g, '');
    return host === '' ? undefined : host;
  } catch {
    return undefined;
  }
}
