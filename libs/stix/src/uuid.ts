import { randomUUID } from 'node:crypto';
import { parse, v5 } from 'uuid';

/** A namespace UUID parsed once into its 16 bytes, so uuid's v5 does not parse it again per id; treat as read-only. */
export type UuidNamespace = Uint8Array;

/** Throws a TypeError unless `uuid` is a UUID in its text form. */
export function parseUuidNamespace(uuid: string): UuidNamespace {
  return parse(uuid);
}

/** UUIDv5 of `name` (encoded as UTF-8, as RFC 4122 and STIX §2.9 expect) in `namespace`. */
export function uuidV5(namespace: UuidNamespace, name: string): string {
  // Given a string, uuid encodes it through encodeURIComponent, which is slower and throws on a lone surrogate;
  // Buffer.from encodes that as U+FFFD, so any name a report carries gets an id.
  return v5(Buffer.from(name, 'utf8'), namespace);
}

/** A random UUIDv4. */
export function uuidV4(): string {
  return randomUUID();
}
