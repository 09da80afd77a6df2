import {
  ACCESS_TOKEN_COOKIE,
  CSRF_COOKIE,
  REFRESH_TOKEN_COOKIE,
  REFRESH_TOKEN_COOKIE_PATH,
  generateCsrfToken,
} from '@vigia/auth';
import type { CookieOptions, Response } from 'express';
import type { IssuedSession } from './auth.service';

// Secure even in development: browsers treat http://localhost as a secure context.
const BASE: CookieOptions = { secure: true, sameSite: 'strict' };
const ACCESS: CookieOptions = { ...BASE, httpOnly: true, path: '/' };
const REFRESH: CookieOptions = { ...BASE, httpOnly: true, path: REFRESH_TOKEN_COOKIE_PATH };
// Readable by the page, which echoes it in X-CSRF-Token.
const CSRF: CookieOptions = { ...BASE, httpOnly: false, path: '/' };

/** Sets a browser session's cookies, with a fresh CSRF token. */
export function writeSessionCookies(response: Response, issued: IssuedSession): void {
  const sessionLeftMs = Math.max(0, issued.sessionExpiresAt.getTime() - Date.now());
  response.cookie(ACCESS_TOKEN_COOKIE, issued.accessToken, { ...ACCESS, maxAge: issued.expiresIn * 1000 });
  response.cookie(REFRESH_TOKEN_COOKIE, issued.refreshToken, { ...REFRESH, maxAge: sessionLeftMs });
  response.cookie(CSRF_COOKIE, generateCsrfToken(), { ...CSRF, maxAge: sessionLeftMs });
}

export function clearSessionCookies(response: Response): void {
  response.clearCookie(ACCESS_TOKEN_COOKIE, ACCESS);
  response.clearCookie(REFRESH_TOKEN_COOKIE, REFRESH);
  response.clearCookie(CSRF_COOKIE, CSRF);
}
