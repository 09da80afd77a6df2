import { createHash, randomBytes } from 'node:crypto';

/** A new invitation token: 256 random bits; only `hash` is stored, `token` goes to the invited person once. */
export function generateInvitationToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashInvitationToken(token) };
}

export const hashInvitationToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');
