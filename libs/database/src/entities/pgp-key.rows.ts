/** A registered OpenPGP public key (a directory contact's, an e-mail channel's), as checked before it is stored. */
export interface CheckedPgpKey {
  armored: string;
  /** Upper-case hex fingerprint of the primary key. */
  fingerprint: string;
  /** Null when the key does not expire. */
  expiresAt: Date | null;
}
