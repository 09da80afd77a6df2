import { decrypt, generateKey, readMessage, readPrivateKey, revokeKey } from 'openpgp';

const HOUR_S = 3600;

/** An armored OpenPGP key pair for `email` (Curve25519: quick to make); `date` and `keyExpirationTime` age it. */
export async function testKeyPair(
  email: string,
  options: { date?: Date; keyExpirationTime?: number } = {},
): Promise<{ publicKey: string; privateKey: string }> {
  const { publicKey, privateKey } = await generateKey({
    type: 'ecc',
    curve: 'curve25519Legacy',
    userIDs: [{ name: 'Duty', email }],
    format: 'armored',
    ...options,
  });
  return { publicKey, privateKey };
}

/** A public key made two days ago that expired an hour later. */
export const expiredPublicKey = async (email: string): Promise<string> =>
  (await testKeyPair(email, { date: new Date(Date.now() - 48 * HOUR_S * 1000), keyExpirationTime: HOUR_S })).publicKey;

/** A public key with its revocation. */
export async function revokedPublicKey(email: string): Promise<string> {
  const { privateKey } = await testKeyPair(email);
  return (await revokeKey({ key: await readPrivateKey({ armoredKey: privateKey }), format: 'armored' })).publicKey;
}

/** The text of an armored OpenPGP message, decrypted with `privateKey`. */
export async function decryptedText(armoredMessage: string, privateKey: string): Promise<string> {
  const { data } = await decrypt({
    message: await readMessage({ armoredMessage }),
    decryptionKeys: await readPrivateKey({ armoredKey: privateKey }),
  });
  return data as string;
}
