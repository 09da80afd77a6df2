/**
 * libs/indicators reads domain names with Node's `url.domainToASCII` (UTS #46); browsers apply the same rules when
 * they parse a URL's host. Empty for a name that is no valid host, as Node answers.
 */
export function domainToASCII(name: string): string {
  try {
    return new URL(`http://${name}/`).hostname;
  } catch {
    return '';
  }
}
