import { hash, randomUUID } from 'node:crypto';

/**
 * RFC 4122 / RFC 9562 name-based UUIDs (version 5, SHA-1) on node:crypto: each namespace is parsed once and each id
 * costs one one-shot hash, about twice as fast as createHash().update().digest(). (The `uuid` package also ships
 * no type declarations.)
 */

const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A namespace UUID parsed once into its 16 bytes; treat as read-only. */
export type UuidNamespace = Buffer;

export function parseUuidNamespace(uuid: string): UuidNamespace {
  if (!UUID_TEXT.test(uuid)) {
    throw new TypeError(`not a UUID: ${uuid}`);
  }
  return Buffer.from(uuid.replace(/-/g, ''), 'hex');
}

// The RFC 4122 variant sets the top two bits of byte 8 to 10, so its first hex digit is one of these.
const VARIANT_HEX_DIGITS = '89ab';

/** UUIDv5 of `name` (encoded as UTF-8, as RFC 4122 and STIX §2.9 expect) in `namespace`. */
export function uuidV5(namespace: UuidNamespace, name: string): string {
  const hex = hash('sha1', Buffer.concat([namespace, Buffer.from(name, 'utf8')]), 'hex');
  const version = '5'; // replaces the first hex digit of byte 6
  const variant = VARIANT_HEX_DIGITS[parseInt(hex[16], 16) & 0x3];
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${version}${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A random UUIDv4. */
export function uuidV4(): string {
  return randomUUID();
}
