/**
 * vCard 4.0 (RFC 6350) writing: one card per 24/7 contact. Only what the directory needs: text values escaped
 * (§3.4), structured values split by unescaped semicolons, lines folded at 75 octets (§3.2), CRLF line ends.
 */

/** One property: its name, parameters (already valid parameter values) and value (already escaped). */
export interface VcardProperty {
  name: string;
  parameters?: Record<string, string>;
  value: string;
}

const MAX_LINE_OCTETS = 75;

/** A text value: backslash, comma, semicolon and line breaks escaped, as §3.4 asks of every text value. */
export function escapeText(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/,/g, '\\,')
    .replace(/;/g, '\\;')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** A structured value (ORG, N): each component escaped, joined by semicolons. */
export const structuredValue = (components: readonly string[]): string => components.map(escapeText).join(';');

/**
 * A parameter value: quoted when it holds `,`, `;` or `:` (RFC 6350 §5); characters no parameter value may hold
 * (double quotes, control characters) are dropped rather than escaped, as RFC 6868 escaping is not widely read.
 */
export function parameterValue(value: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
  const clean = value.replace(/["\u0000-\u001f\u007f]/g, '');
  return /[,;:]/.test(clean) ? `"${clean}"` : clean;
}

/** Folds a content line into lines of at most 75 octets, never splitting a UTF-8 character (§3.2). */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const character of line) {
    const size = Buffer.byteLength(character, 'utf8');
    // Continuation lines start with a space, which counts towards their 75 octets.
    const limit = parts.length === 0 ? MAX_LINE_OCTETS : MAX_LINE_OCTETS - 1;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += character;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

const contentLine = ({ name, parameters, value }: VcardProperty): string => {
  const parameterText = Object.entries(parameters ?? {})
    .map(([key, parameter]) => `;${key}=${parameter}`)
    .join('');
  return foldLine(`${name}${parameterText}:${value}`);
};

/** One card: BEGIN, VERSION 4.0, the properties in order, END; every line CRLF-terminated. */
export const vcard = (properties: readonly VcardProperty[]): string =>
  [
    contentLine({ name: 'BEGIN', value: 'VCARD' }),
    contentLine({ name: 'VERSION', value: '4.0' }),
    ...properties.map(contentLine),
    contentLine({ name: 'END', value: 'VCARD' }),
  ]
    .map((line) => `${line}\r\n`)
    .join('');

/** A timestamp as vCard writes it (`20251130T120000Z`). */
export const vcardTimestamp = (date: Date): string =>
  date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
