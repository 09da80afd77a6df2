import { randomBytes, randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AccessTokenClaims, hashPassword } from '@vigia/auth';
import { UserEntity, UserRepository, UserRole } from '@vigia/database';

/**
 * The one place tests mint people's access tokens (until the login endpoint exists): signed like the portal signs
 * them, with a fresh session id. If sessions must later be stored, adapt this helper only.
 */
export async function accessTokenFor(app: INestApplication, userId: string): Promise<string> {
  const claims: AccessTokenClaims = { sub: userId, sid: randomUUID() };
  return app.get(JwtService).signAsync(claims);
}

/** A person of the organisation with a password, and an access token for them. */
export async function createPerson(
  app: INestApplication,
  organisationId: string,
  role: UserRole,
): Promise<{ user: UserEntity; token: string }> {
  const tag = randomBytes(4).toString('hex');
  const user = await app.get(UserRepository).create({
    organisationId,
    email: `${role}-${tag}@example.org`,
    displayName: `${role} ${tag}`,
    passwordHash: await hashPassword(`password-${tag}`),
    role,
  });
  return { user, token: await accessTokenFor(app, user.id) };
}
