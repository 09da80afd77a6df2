/**
 * Undo the common "defanging" analysts apply so indicators are not clickable in reports and mail.
 *
 * Only these well-known forms are refanged (case-insensitive), anywhere in the value:
 *   `[.]` `(.)` `{.}` `[dot]`  → `.`
 *   `[:]`                      → `:`
 *   `[://]`                    → `://`
 *   `[@]` `[at]`               → `@`
 * and at the start of the value only, once the above is done:
 *   `hxxp://` `hxxps://`       → `http://` `https://`
 *   `fxp://`                   → `ftp://`
 *
 * Looser forms (`example dot com`, `example . com`, `\.`) are deliberately not handled: they are ambiguous and
 * guessing would turn typos into "valid" indicators. The trade-off of refanging everywhere is that a literal
 * `[at]` or `[.]` inside a URL path or query is also rewritten; such URLs are rare enough to accept that.
 */
const BRACKETED_DEFANG = /\[\.\]|\(\.\)|\{\.\}|\[dot\]|\[:\/\/\]|\[:\]|\[@\]|\[at\]/gi;
const DEFANGED_SCHEME = /^(?:hxxp(s?)|(fxp)):\/\//i;
// Cheap pre-check so the common, already-fanged value skips both regex replacements.
const MAY_BE_DEFANGED = /[[({]|^[hf]x/i;

export function refang(value: string): string {
  if (!MAY_BE_DEFANGED.test(value)) return value;
  const unbracketed = value.replace(BRACKETED_DEFANG, refangToken);
  return unbracketed.replace(DEFANGED_SCHEME, (_match, https: string | undefined, ftp: string | undefined) =>
    ftp ? 'ftp://' : https ? 'https://' : 'http://',
  );
}

function refangToken(token: string): string {
  switch (token.toLowerCase()) {
    case '[://]':
      return '://';
    case '[:]':
      return ':';
    case '[@]':
    case '[at]':
      return '@';
    default:
      return '.';
  }
}
