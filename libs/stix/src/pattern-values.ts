import { IndicatorType } from '@vigia/indicators';

/** One `[object:path op value]` comparison that maps onto a Vigia indicator. */
export interface PatternIndicator {
  type: IndicatorType;
  value: string;
}

const HASH_TYPES: Record<string, IndicatorType> = {
  md5: IndicatorType.Md5,
  'sha-1': IndicatorType.Sha1,
  sha1: IndicatorType.Sha1,
  'sha-256': IndicatorType.Sha256,
  sha256: IndicatorType.Sha256,
  'sha-512': IndicatorType.Sha512,
  sha512: IndicatorType.Sha512,
};

const VALUE_TYPES: Record<string, IndicatorType> = {
  'ipv4-addr:value': IndicatorType.Ipv4,
  'ipv6-addr:value': IndicatorType.Ipv6,
  'domain-name:value': IndicatorType.Domain,
  'url:value': IndicatorType.Url,
  'email-addr:value': IndicatorType.Email,
  'autonomous-system:number': IndicatorType.Asn,
};

// A comparison: object path, operator, then a quoted string (with \' and \\ escapes) or an integer.
const COMPARISON = /([a-z0-9-]+:[a-z0-9_.'-]+)\s*(=|ISSUBSET)\s*('(?:[^'\\]|\\.)*'|-?\d+)/gi;
// Operators whose meaning a flat list of indicators cannot keep.
const UNSUPPORTED = /\b(AND|FOLLOWEDBY|WITHIN|REPEATS|START|STOP|NOT|MATCHES|LIKE|IN|ISSUPERSET|!=|<|>)\b|!=|<=|>=/;

const unquote = (literal: string): string =>
  literal.startsWith("'") ? literal.slice(1, -1).replace(/\\(['\\])/g, '$1') : literal;

function typeOfPath(path: string): IndicatorType | undefined {
  const lower = path.toLowerCase();
  const hash = /^file:hashes\.'?([a-z0-9-]+)'?$/.exec(lower);
  return hash ? HASH_TYPES[hash[1] ?? ''] : VALUE_TYPES[lower];
}

/**
 * Reads the indicators out of a STIX pattern made of equality (or ISSUBSET, for CIDRs) comparisons joined by
 * OR, the form sharing platforms emit for IOCs. Anything else (AND, qualifiers, other operators) is refused
 * with a reason, because flattening it would change what the pattern means.
 */
export function readStixPattern(pattern: string): { indicators: PatternIndicator[] } | { reason: string } {
  // Strip string literals before looking for operators so a value containing "AND" is not mistaken for one.
  const withoutLiterals = pattern.replace(/'(?:[^'\\]|\\.)*'/g, "''");
  const operator = UNSUPPORTED.exec(withoutLiterals);
  if (operator) return { reason: `pattern uses ${operator[0]}, which Vigia cannot split into indicators` };
  const indicators: PatternIndicator[] = [];
  for (const match of pattern.matchAll(COMPARISON)) {
    const [, path = '', , literal = ''] = match;
    const type = typeOfPath(path);
    if (!type) return { reason: `pattern compares ${path}, which maps to no Vigia indicator type` };
    indicators.push({ type, value: unquote(literal) });
  }
  if (indicators.length === 0) return { reason: 'pattern has no comparison Vigia understands' };
  return { indicators };
}

const COMPARED_LITERAL =
  /((?:=|!=|<=|>=|<|>|\bIN\b|\bLIKE\b|\bMATCHES\b|\bISSUBSET\b|\bISSUPERSET\b|,)\s*\(?\s*)'(?:[^'\\]|\\.)*'/gi;
// An object path followed by any comparison operator.
const OBJECT_PATH =
  /([a-z0-9-]+:[a-z0-9_.'-]+)\s*(?:=|!=|<=|>=|<|>|\bIN\b|\bLIKE\b|\bMATCHES\b|\bISSUBSET\b|\bISSUPERSET\b)/gi;

/**
 * The Vigia indicator types a STIX pattern compares, whatever its operators (`[ipv4-addr:value = '…' AND
 * url:value MATCHES '…']` → ipv4, url): what a subscription's type filter can be checked against when the pattern
 * itself cannot be reduced to values. Empty for paths of no Vigia type.
 */
export function indicatorTypesOfPattern(pattern: string): IndicatorType[] {
  // Values (literals after an operator, or further in an IN list) are emptied; quoted path parts
  // (`hashes.'SHA-256'`) stay.
  const withoutLiterals = pattern.replace(COMPARED_LITERAL, "$1''");
  const types = new Set<IndicatorType>();
  for (const [, path = ''] of withoutLiterals.matchAll(OBJECT_PATH)) {
    const type = typeOfPath(path);
    if (type) types.add(type);
  }
  return [...types];
}
