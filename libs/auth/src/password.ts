import { randomBytes, scrypt as scryptCallback, timingSafeEqual, ScryptOptions } from 'node:crypto';
import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';
import type { Algorithm } from '@node-rs/argon2';

// argon2id with OWASP's minimum (19 MiB, 2 passes, 1 lane). The PHC string keeps the parameters, so raising them
// later only makes `needsRehash` true for older hashes. `Algorithm` is a const enum, unusable under
// isolatedModules: 2 is its Argon2id.
const ARGON2 = { algorithm: 2 as Algorithm, memoryCost: 19_456, timeCost: 2, parallelism: 1 };
const ARGON2_PREFIX = '$argon2id$';

// The former scheme (node's scrypt), still verified so existing accounts can sign in and be upgraded.
const SCRYPT = { N: 2 ** 15, r: 8, p: 1 };
const SCRYPT_KEY_LENGTH = 64;
const SCRYPT_MAX_MEMORY = 128 * SCRYPT.N * SCRYPT.r * 2;

const scrypt = (password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> =>
  new Promise((resolve, reject) =>
    scryptCallback(password, salt, SCRYPT_KEY_LENGTH, { ...options, maxmem: SCRYPT_MAX_MEMORY }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );

/** An argon2id hash in PHC format (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`). */
export async function hashPassword(password: string): Promise<string> {
  return argon2Hash(password, ARGON2);
}

/** The former `scrypt$N$r$p$salt$hash` format: only for tests and tools that must make a legacy hash. */
export async function hashPasswordWithScrypt(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, SCRYPT);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** True when the password matches an argon2id or scrypt hash; false for a malformed hash, never a throw. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (stored.startsWith(ARGON2_PREFIX)) return argon2Verify(stored, password).catch(() => false);
  return verifyScrypt(password, stored).catch(() => false);
}

async function verifyScrypt(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** True when a stored hash is not argon2id with today's parameters: it is replaced at the next sign-in. */
export function needsRehash(stored: string): boolean {
  const params = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(stored);
  return (
    !params ||
    Number(params[1]) !== ARGON2.memoryCost ||
    Number(params[2]) !== ARGON2.timeCost ||
    Number(params[3]) !== ARGON2.parallelism
  );
}

/** A random password for generated accounts: 24 characters of base64url (144 bits). */
export const generatePassword = (): string => randomBytes(18).toString('base64url');
