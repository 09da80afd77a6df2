/** The claims of a person's access token. */
export interface AccessTokenClaims {
  /** The user id. */
  sub: string;
  /** The session (refresh-token family) the token was issued in. */
  sid: string;
}

/** The cookie a browser session keeps its access token in (the refresh token has its own). */
export const ACCESS_TOKEN_COOKIE = 'vigia_access';
export const ACCESS_TOKEN_STRATEGY = 'access-token';
