import { randomBytes, randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AccessTokenClaims, hashPassword } from '@vigia/auth';
import { UserEntity, UserRepository, UserRole } from '@vigia/database';

/**
 * The one place tests mint people's access tokens without signing in: signed like the portal signs them, in a
 * session of their own. If sessions must be stored, adapt this helper only.
 */
export function accessTokenFor(app: INestApplication, userId: string): Promise<string> {
  const claims: AccessTokenClaims = { sub: userId, sid: randomUUID() };
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
