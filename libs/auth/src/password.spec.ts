import { generatePassword, hashPassword, hashPasswordWithScrypt, needsRehash, verifyPassword } from './password';

describe('password hashing', () => {
  it('hashes with argon2id, verifies the right password and rejects a wrong one', async () => {
    const password = generatePassword();
    const stored = await hashPassword(password);
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    await expect(verifyPassword(password, stored)).resolves.toBe(true);
    await expect(verifyPassword(`${password}x`, stored)).resolves.toBe(false);
  });

  it('still verifies the former scrypt format', async () => {
    const stored = await hashPasswordWithScrypt('correct horse');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$/);
    await expect(verifyPassword('correct horse', stored)).resolves.toBe(true);
    await expect(verifyPassword('correct horsf', stored)).resolves.toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same password')).not.toBe(await hashPassword('same password'));
  });

  it('rejects a malformed stored hash instead of throwing', async () => {
    await expect(verifyPassword('x', 'md5$abc')).resolves.toBe(false);
    await expect(verifyPassword('x', '$argon2id$v=19$m=19456,t=2,p=1$broken')).resolves.toBe(false);
    await expect(verifyPassword('x', 'scrypt$1$1$1$c2FsdA==$a2V5')).resolves.toBe(false);
  });

  it('asks for a rehash of scrypt, argon2i and weaker argon2id hashes only', async () => {
    expect(needsRehash(await hashPassword('p'))).toBe(false);
    expect(needsRehash(await hashPasswordWithScrypt('p'))).toBe(true);
    expect(needsRehash('$argon2id$v=19$m=4096,t=3,p=1$c2FsdHNhbHQ$aGFzaA')).toBe(true);
    expect(needsRehash('$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA')).toBe(true);
  });
});
