import { IPv4 } from 'ipaddr.js';

import { canonicaliseDomain } from './domain';
import { IndicatorType } from './indicator-type';
import { canonicaliseIp } from './ip';
import { refang } from './refang';
import { accept, CanonicaliseResult, quote, reject } from './result';

// Longest value looked at; long enough for real phishing URLs, short enough that a pasted file is refused at once.
const MAX_INPUT_LENGTH = 8192;
// C0/C1 controls and zero-width / bidi formatting characters: invisible in the UI and almost always copy-paste debris
// (or a spoofing attempt), so the value is refused rather than silently repaired.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const INVISIBLE_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]/;

/**
 * Validate one indicator value of the declared type and return its canonical form.
 *
 * Every type is trimmed and refanged first (see `refang`). Pure and synchronous; it runs for every indicator ingested.
 */
export function canonicaliseIndicator(type: IndicatorType, rawValue: string): CanonicaliseResult {
  if (typeof rawValue !== 'string') return reject('value must be a string');
  if (rawValue.length > MAX_INPUT_LENGTH) {
    return reject(`value is ${rawValue.length} characters long; at most ${MAX_INPUT_LENGTH} are accepted`);
  }
  const value = refang(rawValue.trim());
  if (value === '') return reject('value is empty');
  const invisible = INVISIBLE_CHARACTER.exec(value);
  if (invisible) {
    const codePoint = invisible[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    return reject(
      `value contains the invisible or control character U+${codePoint} at position ${invisible.index + 1}; ` +
        'retype the value or copy it from a plain-text source',
    );
  }

  switch (type) {
    case IndicatorType.Ipv4:
    case IndicatorType.Ipv6:
      return canonicaliseIp(type, value);
    case IndicatorType.Domain:
      return canonicaliseDomain(value);
    case IndicatorType.Url:
      return canonicaliseUrl(value);
    case IndicatorType.Email:
      return canonicaliseEmail(value);
    case IndicatorType.Md5:
    case IndicatorType.Sha1:
    case IndicatorType.Sha256:
    case IndicatorType.Sha512:
      return canonicaliseHash(type, value);
    case IndicatorType.Cve:
      return canonicaliseCve(value);
    case IndicatorType.Asn:
      return canonicaliseAsn(value);
    default: {
      // Reachable from untyped callers (JSON bodies); the `never` keeps the switch exhaustive for typed ones.
      const unknown: never = type;
      return reject(`unknown indicator type ${quote(String(unknown))}`);
    }
  }
}

/**
 * Schemes worth sharing as indicators: web, file transfer and websockets. `mailto:`, `file:`, `data:`,
 * `javascript:` etc. name no network location (or none we can act on) and are refused.
 */
export const URL_SCHEMES: readonly string[] = ['http', 'https', 'ftp', 'sftp', 'ws', 'wss'];
const URL_PROTOCOLS = new Set(URL_SCHEMES.map((scheme) => `${scheme}:`));
// The URL parser serialises IPv4 hosts of special schemes as dotted decimal. Testing this regex first spares the
// common domain hosts a call to ipaddr, which throws (slowly) on them.
const DOTTED_DECIMAL = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/**
 * WHATWG URL serialisation (`url.href`): scheme and host lower-cased, IDN host in punycode, IP hosts canonical,
 * default port dropped; path, query and fragment kept as written (only characters that must be are
 * percent-encoded). Domain hosts must also pass the domain rules, so a URL's host is always a valid domain indicator.
 */
function canonicaliseUrl(value: string): CanonicaliseResult {
  if (!value.includes('://')) {
    return reject(`${quote(value)} is not an absolute URL; it needs a scheme and host such as https://example.org/`);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return reject(`${quote(value)} is not a valid URL`);
  }
  if (!URL_PROTOCOLS.has(url.protocol)) {
    return reject(`URL scheme "${url.protocol.slice(0, -1)}" is not accepted; use one of ${URL_SCHEMES.join(', ')}`);
  }
  const host = url.hostname;
  if (host === '') return reject(`${quote(value)} has no host`);
  // IP literals were already canonicalised by the URL parser (for sftp too, when bracketed IPv6 or dotted decimal).
  if (host.startsWith('[') || (DOTTED_DECIMAL.test(host) && IPv4.isValidFourPartDecimal(host))) return accept(url.href);

  // sftp is not a WHATWG "special" scheme: its host is opaque, percent-encoded and neither lower-cased nor punycoded.
  const domain = canonicaliseDomain(url.protocol === 'sftp:' ? decodeOpaqueHost(host) : host);
  if (!domain.ok) return reject(`URL host: ${domain.reason}`);
  if (domain.value !== host) url.hostname = domain.value;
  return accept(url.href);
}

function decodeOpaqueHost(host: string): string {
  try {
    return decodeURIComponent(host);
  } catch {
    return host; // malformed escapes: let the domain rules reject the '%'
  }
}

const MAX_EMAIL_LENGTH = 254; // RFC 5321 path limit minus the angle brackets
const MAX_LOCAL_PART_LENGTH = 64; // RFC 5321 §4.5.3.1.1
// Specials that are only valid inside a quoted local part (RFC 5322 §3.2.3), which we do not support: quoted local
// parts essentially never occur in abuse and would make the canonical form ambiguous.
const LOCAL_PART_SPECIAL = /[\s"(),:;<>[\\\]]/;

/**
 * `local@domain`: the local part is kept exactly (it is case-sensitive by RFC 5321), the domain is canonicalised like a
 * domain indicator (lower case, punycode). Exactly one `@`.
 */
function canonicaliseEmail(value: string): CanonicaliseResult {
  const at = value.indexOf('@');
  if (at === -1) return reject(`${quote(value)} is not an email address: it has no '@'`);
  if (value.includes('@', at + 1)) return reject(`${quote(value)} has more than one '@'`);
  const localPart = value.slice(0, at);
  if (localPart === '') return reject('the part before the @ is empty');
  if (localPart.length > MAX_LOCAL_PART_LENGTH) {
    return reject(`the part before the @ is ${localPart.length} characters long; at most ${MAX_LOCAL_PART_LENGTH}`);
  }
  const special = LOCAL_PART_SPECIAL.exec(localPart);
  if (special) {
    if (/^mailto:/i.test(localPart)) return reject('remove the "mailto:" prefix');
    if (/[<>]/.test(value)) return reject('give only the address, without a display name or angle brackets');
    const shown = /\s/.test(special[0]) ? 'whitespace' : `'${special[0]}'`;
    return reject(`the part before the @ contains ${shown}, which is not allowed unquoted`);
  }
  const domain = canonicaliseDomain(value.slice(at + 1));
  if (!domain.ok) return reject(`email domain: ${domain.reason}`);
  const address = `${localPart}@${domain.value}`;
  if (address.length > MAX_EMAIL_LENGTH) {
    return reject(`email address is ${address.length} characters long; at most ${MAX_EMAIL_LENGTH}`);
  }
  return accept(address);
}

type HashType = IndicatorType.Md5 | IndicatorType.Sha1 | IndicatorType.Sha256 | IndicatorType.Sha512;

const HASH_LENGTHS: Readonly<Record<HashType, number>> = {
  [IndicatorType.Md5]: 32,
  [IndicatorType.Sha1]: 40,
  [IndicatorType.Sha256]: 64,
  [IndicatorType.Sha512]: 128,
};
// Which algorithm a hex string of this length probably came from, for the "looks like" hint.
const HASH_NAME_BY_LENGTH: ReadonlyMap<number, string> = new Map([
  [32, 'md5'],
  [40, 'sha1'],
  [56, 'sha224'],
  [64, 'sha256'],
  [96, 'sha384'],
  [128, 'sha512'],
]);
const NON_HEX = /[^0-9a-f]/;

function canonicaliseHash(type: HashType, value: string): CanonicaliseResult {
  const hex = value.toLowerCase();
  const expected = HASH_LENGTHS[type];
  const nonHex = NON_HEX.exec(hex);
  if (nonHex) {
    const shown = /\s/.test(nonHex[0]) ? 'whitespace' : `'${nonHex[0]}'`;
    return reject(
      `${type} must be ${expected} hex characters (0-9, a-f); found ${shown} at position ${nonHex.index + 1}`,
    );
  }
  if (hex.length !== expected) {
    const guess = HASH_NAME_BY_LENGTH.get(hex.length);
    const hint = guess ? ` (looks like ${guess})` : '';
    return reject(`${type} must be ${expected} hex characters, got ${hex.length}${hint}`);
  }
  return accept(hex);
}

// Hyphen look-alikes (U+2010-U+2015) are accepted: advisories pasted from word processors are full of them.
const CVE_ID = /^cve[-\u2010-\u2015](\d{4})[-\u2010-\u2015](\d{4,})$/i;
const FIRST_CVE_YEAR = 1999;

/** `CVE-YYYY-NNNN…` upper-cased; the sequence has 4 or more digits and only 4-digit sequences are zero-padded. */
function canonicaliseCve(value: string): CanonicaliseResult {
  const match = CVE_ID.exec(value);
  if (!match) return reject(`${quote(value)} is not a CVE identifier (expected CVE-YYYY-NNNN, e.g. CVE-2021-44228)`);
  const [, year, sequence] = match;
  if (Number(year) < FIRST_CVE_YEAR) {
    return reject(`CVE year ${year} is before ${FIRST_CVE_YEAR}, when CVE identifiers began`);
  }
  if (sequence.length > 4 && sequence.startsWith('0')) {
    return reject(`CVE sequence number ${sequence} has a leading zero; only 4-digit sequence numbers are zero-padded`);
  }
  return accept(`CVE-${year}-${sequence}`);
}

// `AS64496`, `as64496`, `AS 64496`, `64496`, asdot `1.10` / `AS1.10` (RFC 5396).
const ASN_TEXT = /^(?:as ?)?(\d{1,10})(?:\.(\d{1,5}))?$/i;
const MAX_ASN = 4294967295;
const MAX_ASDOT_PART = 65535;
/**
 * AS numbers that can never originate routes, so an indicator naming them is a mistake. Documentation
 * (RFC 5398) and private-use (RFC 6996) numbers are accepted: they appear in exercises and internal reports.
 */
const UNUSABLE_ASNS: ReadonlyMap<number, string> = new Map([
  [0, 'AS0 is reserved (RFC 7607) and never originates routes'],
  [23456, 'AS23456 is AS_TRANS (RFC 6793), a placeholder for 4-byte AS numbers; give the real AS number'],
  [65535, 'AS65535 is reserved (RFC 7300) and never originates routes'],
  [MAX_ASN, 'AS4294967295 is reserved (RFC 7300) and never originates routes'],
]);

/** Output is the AS number in plain decimal (`AS1.10` → `65546`). */
function canonicaliseAsn(value: string): CanonicaliseResult {
  const match = ASN_TEXT.exec(value);
  if (!match) return reject(`${quote(value)} is not an AS number (expected e.g. AS64496, 64496 or asdot 1.10)`);
  const [, high, low] = match;
  let asn = Number(high);
  if (low !== undefined) {
    if (asn > MAX_ASDOT_PART || Number(low) > MAX_ASDOT_PART) {
      return reject(`asdot AS number ${high}.${low} has a part above ${MAX_ASDOT_PART}`);
    }
    asn = asn * (MAX_ASDOT_PART + 1) + Number(low);
  }
  if (asn > MAX_ASN) return reject(`AS number ${asn} is out of range (0-${MAX_ASN})`);
  const unusable = UNUSABLE_ASNS.get(asn);
  if (unusable) return reject(unusable);
  return accept(String(asn));
}
