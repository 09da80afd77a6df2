/** The claims of a person's access token. */
export interface AccessTokenClaims {
  /** The user id. */
  sub: string;
  /** The session (refresh-token family) the token was issued in. */
  sid: string;
}

/** The cookie a browser session keeps its access token in (the refresh token has its own). */
export const ACCESS_TOKEN_COOKIE = 'vigia_access';
/** The browser's refresh token, sent only to the auth routes. */
export const REFRESH_TOKEN_COOKIE = 'vigia_refresh';
export const REFRESH_TOKEN_COOKIE_PATH = '/api/v1/auth';
/** Readable by the page, which echoes it in `X-CSRF-Token` (double submit): another site can neither read nor set it. */
export const CSRF_COOKIE = 'vigia_csrf';
export const CSRF_HEADER = 'x-csrf-token';
export const ACCESS_TOKEN_STRATEGY = 'access-token';
