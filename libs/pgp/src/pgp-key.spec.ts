import { decrypt, generateKey, readMessage, readPrivateKey, revokeKey } from 'openpgp';
import { encryptText, MAX_ARMORED_KEY_LENGTH, PgpKeyError, readKeyField, readPublicKey } from './pgp-key';

const HOUR = 3600;

async function keyPair(options: { date?: Date; keyExpirationTime?: number } = {}) {
  return generateKey({
    type: 'ecc',
    curve: 'curve25519Legacy',
    userIDs: [{ name: 'CSIRT Test', email: 'soc@csirt.example' }],
    format: 'armored',
    ...options,
  });
}

async function reasonOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PgpKeyError) return error.reason;
    throw error;
  }
  throw new Error('expected the key to be refused');
}

describe('readPublicKey', () => {
  it('gives the fingerprint, user ids and expiry of a usable key', async () => {
    const { publicKey } = await keyPair({ keyExpirationTime: 30 * 24 * HOUR });
    const info = await readPublicKey(publicKey);
    expect(info.fingerprint).toMatch(/^[0-9A-F]{40}$/);
    expect(info.userIds).toEqual(['CSIRT Test <soc@csirt.example>']);
    expect(info.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 29 * 24 * HOUR * 1000);
  });

  it('says a key that never expires has no expiry', async () => {
    const { publicKey } = await keyPair();
    expect((await readPublicKey(publicKey)).expiresAt).toBeNull();
  });

  it('refuses an expired key with its expiry date', async () => {
    const { publicKey } = await keyPair({ date: new Date(Date.now() - 48 * HOUR * 1000), keyExpirationTime: HOUR });
    expect(await reasonOf(readPublicKey(publicKey))).toMatch(/^the key expired on \d{4}-/);
  });

  it('refuses a revoked key', async () => {
    const { privateKey } = await keyPair();
    const { publicKey } = await revokeKey({ key: await readPrivateKey({ armoredKey: privateKey }), format: 'armored' });
    expect(await reasonOf(readPublicKey(publicKey))).toBe('the key is revoked');
  });

  it('refuses a private key, garbage and oversized input', async () => {
    const { privateKey } = await keyPair();
    expect(await reasonOf(readPublicKey(privateKey))).toMatch(/private key/);
    expect(await reasonOf(readPublicKey('-----BEGIN PGP PUBLIC KEY BLOCK-----\nnope'))).toMatch(/not an ASCII-armored/);
    expect(await reasonOf(readPublicKey('x'.repeat(MAX_ARMORED_KEY_LENGTH + 1)))).toMatch(/longer than/);
  });
});

describe('encryptText', () => {
  it('encrypts so that only the matching private key reads it', async () => {
    const { publicKey, privateKey } = await keyPair();
    const armored = await encryptText('TLP:AMBER warning for 192.0.2.1', publicKey);
    expect(armored).toContain('-----BEGIN PGP MESSAGE-----');
    expect(armored).not.toContain('192.0.2.1');
    const { data } = await decrypt({
      message: await readMessage({ armoredMessage: armored }),
      decryptionKeys: await readPrivateKey({ armoredKey: privateKey }),
    });
    expect(data).toBe('TLP:AMBER warning for 192.0.2.1');
  });

  it('refuses a key that expired or was revoked since it was registered, with the same reasons', async () => {
    const { publicKey } = await keyPair({ date: new Date(Date.now() - 48 * HOUR * 1000), keyExpirationTime: HOUR });
    expect(await reasonOf(encryptText('secret', publicKey))).toMatch(/^the key expired on /);
    const { privateKey } = await keyPair();
    const revoked = await revokeKey({ key: await readPrivateKey({ armoredKey: privateKey }), format: 'armored' });
    expect(await reasonOf(encryptText('secret', revoked.publicKey))).toBe('the key is revoked');
    expect(await reasonOf(encryptText('secret', 'garbage'))).toMatch(/not an ASCII-armored/);
  });
});

describe('readKeyField', () => {
  it('tells a key left out (undefined) from one cleared (null or blank)', async () => {
    expect(await readKeyField(undefined)).toBeUndefined();
    expect(await readKeyField(null)).toBeNull();
    expect(await readKeyField('  \n ')).toBeNull();
  });

  it('reads a sent key, trimmed, or answers why it is refused', async () => {
    const { publicKey } = await keyPair();
    const read = await readKeyField(`\n${publicKey}\n  `);
    expect(read).toMatchObject({ armored: publicKey.trim(), fingerprint: expect.stringMatching(/^[0-9A-F]{40}$/) });
    expect(await readKeyField('not a key')).toBeInstanceOf(PgpKeyError);
  });
});
