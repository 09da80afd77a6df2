import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { getDataSourceToken } from '@nestjs/typeorm';
import { AccessTokenClaims, hashPassword } from '@vigia/auth';
import { SecretSealer, SessionRepository, UserEntity, UserRepository, UserRole } from '@vigia/database';
import { Secret } from 'otpauth';
import { DataSource } from 'typeorm';

/**
 * The one place tests mint people's access tokens without signing in (test/support/people.ts signs in for real):
 * a stored session of their own, and a token signed like the portal signs them. Coordinators and org-admins get
 * the second factor they must have before acting.
 */
export async function accessTokenFor(app: INestApplication, userId: string): Promise<string> {
  const [user] = (await app
    .get<DataSource>(getDataSourceToken())
    .query(`SELECT role FROM users WHERE id = $1`, [userId])) as { role: UserRole }[];
  if (user && user.role !== UserRole.Analyst) await enrolSecondFactor(app, userId);
  const sessionId = await app.get(SessionRepository).create({
    userId,
    refreshTokenHash: createHash('sha256').update(randomUUID()).digest('hex'),
    expiresAt: new Date(Date.now() + 3600_000),
    userAgent: 'e2e test',
    ipAddress: null,
  });
  const claims: AccessTokenClaims = { sub: userId, sid: sessionId };
  return app.get(JwtService).signAsync(claims);
}

/** A person to act as in e2e tests, with an access token and the `Authorization` header value for it. */
export interface TestPerson {
  user: UserEntity;
  token: string;
  authorization: string;
}

/** Inserts a person with `role` in the organisation (with a password) and mints an access token for them. */
export async function createPerson(app: INestApplication, organisationId: string, role: UserRole): Promise<TestPerson> {
  const tag = randomBytes(4).toString('hex');
  const user = await app.get(UserRepository).create({
    organisationId,
    email: `${role}-${tag}@example.org`,
    displayName: `${role} ${tag}`,
    passwordHash: await hashPassword(`password-${tag}`),
    role,
  });
  const token = await accessTokenFor(app, user.id);
  return { user, token, authorization: `Bearer ${token}` };
}

/** A confirmed TOTP second factor for the user (its secret is of no use to the tests that call this). */
export async function enrolSecondFactor(app: INestApplication, userId: string): Promise<void> {
  await app
    .get<DataSource>(getDataSourceToken())
    .query(`INSERT INTO user_totp (user_id, secret, confirmed_at) VALUES ($1, $2, now()) ON CONFLICT DO NOTHING`, [
      userId,
      app.get(SecretSealer).seal(new Secret().base32),
    ]);
}
