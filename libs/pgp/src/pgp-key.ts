import { createMessage, encrypt, enums, Key, readKey } from 'openpgp';

/** Armored public keys larger than this are refused before parsing: a real key with its signatures fits easily. */
export const MAX_ARMORED_KEY_LENGTH = 64 * 1024;

/** What a registered OpenPGP public key is, as shown to people (the armored key itself is kept, never echoed). */
export interface PgpKeyInfo {
  /** Upper-case hexadecimal, no spaces: the form CSIRTs print on their pages. */
  fingerprint: string;
  userIds: string[];
  algorithm: string;
  createdAt: Date;
  /** Null when the key never expires. */
  expiresAt: Date | null;
}

/** A key that cannot be used to encrypt mail to its owner; `reason` is meant for the person who registered it. */
export class PgpKeyError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'PgpKeyError';
  }
}

async function parsePublicKey(armored: string): Promise<Key> {
  if (armored.length > MAX_ARMORED_KEY_LENGTH) {
    throw new PgpKeyError(`the key is longer than ${MAX_ARMORED_KEY_LENGTH} characters`);
  }
  let key: Key;
  try {
    key = await readKey({ armoredKey: armored });
  } catch {
    throw new PgpKeyError('not an ASCII-armored OpenPGP public key');
  }
  if (key.isPrivate()) throw new PgpKeyError('this is a private key: register the public key only');
  return key;
}

const dateOrNull = (value: Date | number | null): Date | null => (value instanceof Date ? value : null);

/** The parsed key, once it is known that mail can be encrypted to it at `now` (else a `PgpKeyError` saying why). */
async function usableKey(armored: string, now: Date): Promise<{ key: Key; expiresAt: Date | null }> {
  const key = await parsePublicKey(armored.trim());
  if (await key.isRevoked(undefined, undefined, now)) throw new PgpKeyError('the key is revoked');
  const expiresAt = dateOrNull(await key.getExpirationTime().catch(() => null));
  if (expiresAt && expiresAt.getTime() <= now.getTime()) {
    throw new PgpKeyError(`the key expired on ${expiresAt.toISOString()}`);
  }
  try {
    await key.getEncryptionKey(undefined, now);
  } catch {
    throw new PgpKeyError('the key has no valid encryption subkey (expired, revoked or signing-only)');
  }
  return { key, expiresAt };
}

/**
 * Parses an ASCII-armored public key and checks that mail can be encrypted to it now: refuses private keys,
 * revoked keys, expired keys and keys without a usable encryption (sub)key, each with its own reason.
 */
export async function readPublicKey(armored: string, now: Date = new Date()): Promise<PgpKeyInfo> {
  const { key, expiresAt } = await usableKey(armored, now);
  const { algorithm } = key.getAlgorithmInfo();
  return {
    fingerprint: key.getFingerprint().toUpperCase(),
    userIds: key.getUserIDs(),
    algorithm: String(algorithm),
    createdAt: key.getCreationTime(),
    expiresAt,
  };
}

/** A key as sent (trimmed) with what was read of it. */
export interface ReadPgpKey extends PgpKeyInfo {
  armored: string;
}

/**
 * A request's optional key field: undefined when left out (the caller keeps the stored key), null when cleared (null
 * or blank), else the key read and checked, or why it is refused.
 */
export async function readKeyField(
  value: string | null | undefined,
): Promise<ReadPgpKey | PgpKeyError | null | undefined> {
  if (value === undefined) return undefined;
  const armored = value?.trim() ?? '';
  if (armored === '') return null;
  const info = await readPublicKeyOrRefusal(armored);
  return info instanceof PgpKeyError ? info : { ...info, armored };
}

/**
 * `text` as an ASCII-armored OpenPGP message that only the holder of `armoredKey`'s private key can read. A key that
 * became unusable since it was registered (expired, revoked, replaced by garbage) is a `PgpKeyError` with the same
 * reasons as `readPublicKey`, so callers can tell it from a fault of their own and never fall back to clear text.
 */
export async function encryptText(text: string, armoredKey: string, now: Date = new Date()): Promise<string> {
  const { key } = await usableKey(armoredKey, now);
  try {
    return await encrypt({
      message: await createMessage({ text }),
      encryptionKeys: key,
      date: now,
      config: { preferredCompressionAlgorithm: enums.compression.zlib },
    });
  } catch (error) {
    throw new PgpKeyError(`the key cannot encrypt: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * `readPublicKey` for a key someone registers: its info, or the `PgpKeyError` saying why it is refused (returned, so
 * callers can list every refused key of a request at once); any other failure is thrown.
 */
export async function readPublicKeyOrRefusal(
  armored: string,
  now: Date = new Date(),
): Promise<PgpKeyInfo | PgpKeyError> {
  try {
    return await readPublicKey(armored, now);
  } catch (error) {
    if (error instanceof PgpKeyError) return error;
    throw error;
  }
}
