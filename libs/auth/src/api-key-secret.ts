import { createHash, randomBytes } from 'node:crypto';

const KEY_PREFIX = 'vigia_';

/** A new API key: 256 random bits; only `hash` is stored, `secret` is shown to its owner once. */
export function generateApiKey(): { secret: string; prefix: string; hash: string } {
  const secret = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { secret, prefix: secret.slice(0, KEY_PREFIX.length + 6), hash: hashApiKey(secret) };
}

export const hashApiKey = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex');
