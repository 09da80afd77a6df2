/**
 * JSON Canonicalization Scheme (JCS, RFC 8785), which STIX 2.1 §2.9 prescribes for the name of deterministic
 * SCO ids. JCS is defined in terms of ECMAScript: primitives serialise exactly as JSON.stringify writes them
 * (ES number-to-string, minimal string escaping) and object members are sorted by their keys' UTF-16 code
 * units, which is what the default Array.prototype.sort does for strings. No whitespace is emitted.
 */

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | readonly JsonValue[] | { readonly [key: string]: JsonValue | undefined };

// A lone surrogate (one not part of a pair); with the `u` flag, paired surrogates are one code point and do not match.
const LONE_SURROGATE = /\p{Cs}/u;

export function canonicalizeJson(value: JsonValue): string {
  if (value === null || typeof value === 'boolean') {
    return value === null ? 'null' : String(value);
  }
  if (typeof value === 'number') {
    // RFC 8785 §3.2.2.3: NaN and Infinity have no JSON form and must be rejected, not written as null.
    if (!Number.isFinite(value)) {
      throw new TypeError(`JCS cannot represent the number ${value}`);
    }
    return JSON.stringify(value);
  }
  if (typeof value === 'string') {
    // RFC 8785 §3.2.2.2 requires I-JSON strings, which exclude lone surrogates.
    if (LONE_SURROGATE.test(value)) {
      throw new TypeError('JCS cannot represent a string with a lone surrogate');
    }
    return JSON.stringify(value);
  }
  if (isJsonArray(value)) {
    return `[${value.map(canonicalizeJson).join(',')}]`;
  }
  const members: string[] = [];
  for (const key of Object.keys(value).sort()) {
    const member = value[key];
    // Absent and undefined members are skipped, as JSON.stringify does.
    if (member !== undefined) {
      members.push(`${canonicalizeJson(key)}:${canonicalizeJson(member)}`);
    }
  }
  return `{${members.join(',')}}`;
}

// Array.isArray does not narrow readonly arrays out of a union.
function isJsonArray(value: JsonValue): value is readonly JsonValue[] {
  return Array.isArray(value);
}
