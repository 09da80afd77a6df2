import type { Request } from 'express';
import { API_KEY_PREFIX } from './api-key-secret';

export const API_KEY_HEADER = 'x-api-key';

/** An API key as the caller presented it, and the user name it came with under HTTP Basic. */
export interface PresentedApiKey {
  secret: string;
  /** HTTP Basic's user name, which must then name the key (its id or prefix). */
  username?: string;
}

/** Where the guard leaves the key it found for the API-key strategy. */
export const PRESENTED_API_KEY = Symbol('presentedApiKey');
export type RequestWithApiKey = Request & { [PRESENTED_API_KEY]?: PresentedApiKey };

/**
 * The API key of a request, if it carries one: `X-Api-Key`, `Authorization: Bearer <key>` (a key, not a person's
 * access token, by its prefix), and with `basic` HTTP Basic (user = key id or prefix, password = key; a key alone as
 * user or password) or the bare key after `Basic`, as TAXII clients send them.
 */
export function presentedApiKey(request: Request, basic: boolean): PresentedApiKey | undefined {
  const header = request.header(API_KEY_HEADER);
  if (header !== undefined) return { secret: header };
  const authorization = request.header('authorization')?.trim() ?? '';
  const separator = authorization.indexOf(' ');
  if (separator < 0) return undefined;
  const scheme = authorization.slice(0, separator).toLowerCase();
  const credentials = authorization.slice(separator + 1).trim();
  if (scheme === 'bearer') return credentials.startsWith(API_KEY_PREFIX) ? { secret: credentials } : undefined;
  if (scheme !== 'basic' || !basic) return undefined;
  if (credentials.startsWith(API_KEY_PREFIX)) return { secret: credentials };
  const decoded = Buffer.from(credentials, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const username = colon < 0 ? decoded : decoded.slice(0, colon);
  const password = colon < 0 ? '' : decoded.slice(colon + 1);
  if (password.startsWith(API_KEY_PREFIX)) return { secret: password, username: username || undefined };
  // Some clients put the key in the user name and leave the password empty (or the other way round).
  if (username.startsWith(API_KEY_PREFIX) && password === '') return { secret: username };
  return { secret: password, username: username || undefined };
}
