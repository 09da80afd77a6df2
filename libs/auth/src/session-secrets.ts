import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const REFRESH_TOKEN_PREFIX = 'vigia_rt_';

/** A new refresh token: 256 random bits; only `hash` is stored. */
export function generateRefreshToken(): { token: string; hash: string } {
  const token = `${REFRESH_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashRefreshToken(token) };
}

export const hashRefreshToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** A CSRF token for the double-submit cookie. */
export const generateCsrfToken = (): string => randomBytes(32).toString('base64url');

/** Constant-time comparison of the CSRF header with the cookie; false when either is missing. */
export function csrfTokensMatch(header: string | undefined, cookie: string | undefined): boolean {
  if (!header || !cookie) return false;
  const a = Buffer.from(header, 'utf8');
  const b = Buffer.from(cookie, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Methods that change nothing, so need no CSRF token. */
export const isSafeMethod = (method: string): boolean => ['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
