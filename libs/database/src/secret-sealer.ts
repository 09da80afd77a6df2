import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@vigia/config';

const PREFIX = 'vigia-sealed:v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Names a key without revealing it, so a sealed value says which key wrapped its data key. */
export const keyId = (key: Buffer): string => createHash('sha256').update(key).digest('hex').slice(0, 8);

const encrypt = (key: Buffer, plain: Buffer): string => {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
};

const decrypt = (key: Buffer, sealed: string): Buffer => {
  const bytes = Buffer.from(sealed, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
  decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
};

export const isSealed = (text: string): boolean => text.startsWith(`${PREFIX}:`);

/**
 * Envelope encryption: each value gets its own random data key (AES-256-GCM), and that data key is stored wrapped by
 * the master key `key` (`DATA_ENCRYPTION_KEY`). Rotating the master key re-wraps data keys, never values.
 */
export function sealSecret(plain: string, key: Buffer): string {
  const dataKey = randomBytes(32);
  return [PREFIX, keyId(key), encrypt(key, dataKey), encrypt(dataKey, Buffer.from(plain, 'utf8'))].join(':');
}

/** The value `sealed` holds, with whichever of `keys` wrapped it; throws when none did or it was tampered with. */
export function openSecret(sealed: string, keys: readonly Buffer[]): string {
  const [, , kid, wrapped, payload] = sealed.split(':');
  const key = keys.find((candidate) => keyId(candidate) === kid);
  if (!isSealed(sealed) || !key || wrapped === undefined || payload === undefined) {
    throw new Error(`a sealed secret cannot be opened: no configured DATA_ENCRYPTION_KEY has id ${kid ?? '?'}`);
  }
  return decrypt(decrypt(key, wrapped), payload).toString('utf8');
}

/** `sealed` with its data key wrapped by `key` (the new master key), the value itself untouched. */
export function rewrapSecret(sealed: string, keys: readonly Buffer[], key: Buffer): string {
  const [, , kid, wrapped, payload] = sealed.split(':');
  if (kid === keyId(key)) return sealed;
  const current = keys.find((candidate) => keyId(candidate) === kid);
  if (!current || wrapped === undefined || payload === undefined) throw new Error(`no key with id ${kid ?? '?'}`);
  return [PREFIX, keyId(key), encrypt(key, decrypt(current, wrapped)), payload].join(':');
}

/** Seals secrets for storage and opens them for use with the configured keys (the first seals). */
@Injectable()
export class SecretSealer {
  private readonly keys: readonly Buffer[];

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.keys = config.dataEncryptionKeys;
  }

  seal(plain: string): string {
    return sealSecret(plain, this.keys[0] as Buffer);
  }

  open(sealed: string): string {
    return openSecret(sealed, this.keys);
  }

  /** Re-wraps a value's data key with the first key when another one wrapped it (key rotation). */
  rewrap(sealed: string): string {
    return rewrapSecret(sealed, this.keys, this.keys[0] as Buffer);
  }
}
