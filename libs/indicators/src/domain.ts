import { domainToASCII } from 'node:url';

import { IPv4 } from 'ipaddr.js';
import { parse as parseHostname } from 'tldts';

import { accept, CanonicaliseResult, quote, reject } from './result';

const MAX_DOMAIN_LENGTH = 253;
const MAX_LABEL_LENGTH = 63;

// Characters that can never be part of a host name; listed so the reason can name the culprit.
const FORBIDDEN_CHARACTER = /[\s/\\:@?#%[\]<>"'*,;=|^`{}()!$&+~]/;
// Letters, digits, hyphens (not first or last) and underscores: underscores are not valid in host names but are
// valid DNS and do occur in malicious infrastructure (`_dmarc`, wildcard-DNS subdomains), so they are kept.
const VALID_LABEL = /^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?$/;
// WHATWG host parsing reads a numeric or hex last label as an IPv4 address, so such a "TLD" is never a domain.
const NUMERIC_LABEL = /^(?:\d+|0x[0-9a-f]*)$/i;

// We pass an already clean host name, so tldts need neither extract nor re-validate it.
const TLDTS_OPTIONS = { extractHostname: false, validateHostname: false, detectIp: false } as const;

/**
 * A DNS name in canonical form: lower case, without the trailing root dot, IDN labels in punycode (node's
 * `url.domainToASCII`, i.e. UTS #46 as browsers do: `bücher.example` → `xn--bcher-kva.example`).
 *
 * It must have at least two labels, a non-numeric last label, labels of 1-63 characters and at most 253 characters in
 * all. A value that is itself a public suffix (`co.uk`, `com`) is refused as it names no one. Unknown top-level
 * domains (`corp.local`, a brand-new gTLD) are accepted when syntactically valid: the public suffix list lags behind
 * the root zone, and internal names do appear in incident reports.
 */
export function canonicaliseDomain(value: string): CanonicaliseResult {
  let name = value.toLowerCase();
  if (name.includes('://')) {
    return reject(`${quote(value)} is a URL, not a domain; submit it as url or give only the host`);
  }
  const forbidden = FORBIDDEN_CHARACTER.exec(name);
  if (forbidden) {
    if (forbidden[0] === '@') return reject(`${quote(value)} looks like an email address; submit it as email`);
    return reject(`character ${describeCharacter(forbidden[0])} is not allowed in a domain name`);
  }
  if (name.endsWith('.')) name = name.slice(0, -1);
  if (name === '') return reject('domain is empty');
  // Every IPv4 form (1.2.3.4, 0x7f.1, 3232235777) ends in a numeric label, so ipaddr (slow: it throws) runs only then.
  if (endsInNumericLabel(name)) {
    if (IPv4.isValid(name)) return ipAddressRejection(value);
    return reject(`${quote(value)} ends in a numeric label; a top-level domain is never numeric`);
  }

  // Structural checks run on the ASCII form: UTS #46 maps full-width dots and digits to ASCII ones.
  const ascii = domainToASCII(name);
  if (ascii === '') return reject(`${quote(value)} is not a valid domain name (bad label or internationalised form)`);
  // domainToASCII turns full-width digits into an IPv4 address and returns '' for any other numeric last label.
  if (endsInNumericLabel(ascii)) return ipAddressRejection(value);
  if (ascii.length > MAX_DOMAIN_LENGTH) {
    return reject(`domain is ${ascii.length} characters long; DNS allows at most ${MAX_DOMAIN_LENGTH}`);
  }
  const labels = ascii.split('.');
  if (labels.length === 1) {
    return reject(`${quote(value)} has no top-level domain (expected something like example.org)`);
  }
  for (const label of labels) {
    if (label === '') return reject(`${quote(value)} has an empty label (two dots in a row or a leading dot)`);
    if (label.length > MAX_LABEL_LENGTH) {
      return reject(`label ${quote(label)} is ${label.length} characters long; DNS allows at most ${MAX_LABEL_LENGTH}`);
    }
    if (!VALID_LABEL.test(label)) {
      return reject(`label ${quote(label)} may only hold letters, digits, underscores and inner hyphens`);
    }
  }

  const parsed = parseHostname(ascii, TLDTS_OPTIONS);
  if (parsed.domain === null) {
    return reject(`${quote(value)} is a public suffix (like co.uk) that anyone can register under, not a domain`);
  }
  return accept(ascii);
}

function endsInNumericLabel(name: string): boolean {
  return NUMERIC_LABEL.test(name.slice(name.lastIndexOf('.') + 1));
}

function ipAddressRejection(value: string): CanonicaliseResult {
  return reject(`${quote(value)} is an IP address, not a domain; submit it as ipv4`);
}

function describeCharacter(character: string): string {
  return /\s/.test(character) ? 'whitespace' : `'${character}'`;
}
