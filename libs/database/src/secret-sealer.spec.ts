import { randomBytes } from 'node:crypto';
import { isSealed, keyId, openSecret, rewrapSecret, sealSecret } from './secret-sealer';

describe('sealed secrets', () => {
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);
  const secret = `whsec_${randomBytes(32).toString('base64')}`;

  it('seals with a fresh data key each time and opens with the key that wrapped it', () => {
    const sealed = sealSecret(secret, oldKey);
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain(secret);
    expect(sealed).not.toContain(secret.slice(6, 20));
    expect(sealSecret(secret, oldKey)).not.toBe(sealed);
    expect(openSecret(sealed, [newKey, oldKey])).toBe(secret);
    expect(() => openSecret(sealed, [newKey])).toThrow(/no configured DATA_ENCRYPTION_KEY has id/);
  });

  it('refuses a value that was tampered with', () => {
    const sealed = sealSecret(secret, oldKey);
    const parts = sealed.split(':');
    const payload = Buffer.from(parts[4] as string, 'base64');
    payload[payload.length - 1] ^= 1;
    parts[4] = payload.toString('base64');
    expect(() => openSecret(parts.join(':'), [oldKey])).toThrow();
  });

  it('rotates by re-wrapping the data key: the value part stays, the new key alone then opens it', () => {
    const sealed = sealSecret(secret, oldKey);
    const rewrapped = rewrapSecret(sealed, [newKey, oldKey], newKey);
    expect(rewrapped.split(':')[2]).toBe(keyId(newKey));
    expect(rewrapped.split(':')[4]).toBe(sealed.split(':')[4]);
    expect(openSecret(rewrapped, [newKey])).toBe(secret);
    expect(rewrapSecret(rewrapped, [newKey], newKey)).toBe(rewrapped);
  });
});
