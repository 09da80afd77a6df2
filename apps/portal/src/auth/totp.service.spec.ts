import { Secret, TOTP } from 'otpauth';
import { generateRecoveryCode, hashRecoveryCode, stepOfCode } from './totp.service';

describe('TOTP and recovery codes', () => {
  const secret = new Secret({ size: 20 }).base32;
  const totp = new TOTP({ secret: Secret.fromBase32(secret) });
  const now = Date.UTC(2030, 0, 1, 12, 0, 10);
  const step = Math.floor(now / 30_000);

  it('finds the step of a code within one step of now, and nothing outside', () => {
    expect(stepOfCode(secret, totp.generate({ timestamp: now }), now)).toBe(step);
    expect(stepOfCode(secret, totp.generate({ timestamp: now - 30_000 }), now)).toBe(step - 1);
    expect(stepOfCode(secret, totp.generate({ timestamp: now + 30_000 }), now)).toBe(step + 1);
    expect(stepOfCode(secret, totp.generate({ timestamp: now - 90_000 }), now)).toBeUndefined();
    expect(stepOfCode(new Secret({ size: 20 }).base32, totp.generate({ timestamp: now }), now)).toBeUndefined();
  });

  it('makes distinct recovery codes, hashed whatever the case and dashes', () => {
    const code = generateRecoveryCode();
    expect(code).toMatch(/^[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}$/);
    expect(generateRecoveryCode()).not.toBe(code);
    expect(hashRecoveryCode(code.toUpperCase().replace(/-/g, ''))).toBe(hashRecoveryCode(code));
    expect(hashRecoveryCode(code)).toMatch(/^[0-9a-f]{64}$/);
  });
});
