import { IndicatorType } from '@vigia/indicators';
import { assertNever, StixInputError } from './errors';
import type { StixHashAlgorithm } from './types';

/** Indicator types that become a STIX pattern; a CVE becomes a vulnerability instead. */
export type PatternableIndicatorType = Exclude<IndicatorType, IndicatorType.Cve>;

export const HASH_ALGORITHM_BY_INDICATOR_TYPE = {
  [IndicatorType.Md5]: 'MD5',
  [IndicatorType.Sha1]: 'SHA-1',
  [IndicatorType.Sha256]: 'SHA-256',
  [IndicatorType.Sha512]: 'SHA-512',
} as const satisfies Record<string, StixHashAlgorithm>;

export type HashIndicatorType = keyof typeof HASH_ALGORITHM_BY_INDICATOR_TYPE;

/**
 * STIX patterning §9.2: a string constant is quoted with apostrophes, and inside it the backslash escapes only
 * an apostrophe or a backslash. Escaping both (backslash first) means no value can end the literal early.
 */
export function escapePatternString(value: string): string {
  return value.replace(/[\\']/g, '\\$&');
}

function isCidr(value: string): boolean {
  return value.includes('/');
}

/**
 * The STIX pattern that matches an indicator value. Addresses compare with `=`, CIDR blocks with ISSUBSET;
 * hash keys that are not plain identifiers (SHA-1, SHA-256, SHA-512) are quoted as the object path grammar requires.
 * The autonomous system number is an integer constant, so its value is parsed rather than escaped.
 */
export function stixPatternFor(type: PatternableIndicatorType, value: string): string {
  switch (type) {
    case IndicatorType.Ipv4:
      return addressPattern('ipv4-addr', value);
    case IndicatorType.Ipv6:
      return addressPattern('ipv6-addr', value);
    case IndicatorType.Domain:
      return equalityPattern('domain-name:value', value);
    case IndicatorType.Url:
      return equalityPattern('url:value', value);
    case IndicatorType.Email:
      return equalityPattern('email-addr:value', value);
    case IndicatorType.Md5:
    case IndicatorType.Sha1:
    case IndicatorType.Sha256:
    case IndicatorType.Sha512:
      return equalityPattern(`file:hashes.${hashPathComponent(HASH_ALGORITHM_BY_INDICATOR_TYPE[type])}`, value);
    case IndicatorType.Asn:
      return `[autonomous-system:number = ${parseAsNumber(value)}]`;
    default:
      return assertNever(type);
  }
}

function addressPattern(objectType: 'ipv4-addr' | 'ipv6-addr', value: string): string {
  const operator = isCidr(value) ? 'ISSUBSET' : '=';
  return `[${objectType}:value ${operator} '${escapePatternString(value)}']`;
}

function equalityPattern(objectPath: string, value: string): string {
  return `[${objectPath} = '${escapePatternString(value)}']`;
}

// An object path component that is not an identifier ([a-zA-Z_][a-zA-Z0-9_]*) must be quoted.
function hashPathComponent(algorithm: StixHashAlgorithm): string {
  return /^[A-Za-z_]\w*$/.test(algorithm) ? algorithm : `'${algorithm}'`;
}

const MAX_AS_NUMBER = 4_294_967_295; // 32-bit AS numbers (RFC 6793)
const AS_NUMBER_TEXT = /^(?:AS)?(\d{1,10})$/i;

/**
 * Reads an AS number. Ingest canonicalises ASNs to the bare number as a string ("64496"); the "AS64496" form
 * (any case) is accepted too, so values typed by people still work.
 */
export function parseAsNumber(value: string): number {
  const digits = AS_NUMBER_TEXT.exec(value)?.[1];
  const asNumber = digits === undefined ? Number.NaN : Number(digits);
  if (!(asNumber <= MAX_AS_NUMBER)) {
    throw new StixInputError(`not an AS number: ${value}`);
  }
  return asNumber;
}
