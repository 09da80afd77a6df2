import { createHash, randomBytes } from 'node:crypto';

export const API_KEY_PREFIX = 'vigia_';

/** A new API key: 256 random bits; only `hash` is stored, `secret` is shown to its owner once. */
export function generateApiKey(): { secret: string; prefix: string; hash: string } {
  const secret = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { secret, prefix: secret.slice(0, API_KEY_PREFIX.length + 6), hash: hashApiKey(secret) };
}

export const hashApiKey = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex');
