import { randomBytes, randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AccessTokenClaims } from '@vigia/auth';
import { UserEntity, UserRole } from '@vigia/database';
import { DataSource } from 'typeorm';

/** A person to act as in e2e tests, and the `Authorization` header value that signs them in. */
export interface TestPerson {
  user: UserEntity;
  accessToken: string;
  authorization: string;
}

/**
 * Inserts a user with `role` in `organisationId` and mints an access token for them, as the login endpoint would.
 * The only place tests mint tokens: when sessions are stored, `sid` must name one, and this is what changes.
 */
export async function createPersonWithAccessToken(
  app: INestApplication,
  dataSource: DataSource,
  organisationId: string,
  role: UserRole,
): Promise<TestPerson> {
  const tag = randomBytes(4).toString('hex');
  const user = await dataSource.getRepository(UserEntity).save({
    organisationId,
    email: `${role}-${tag}@example.org`,
    displayName: `Test ${role} ${tag}`,
    passwordHash: 'not-a-password-hash',
    role,
  });
  const accessToken = await mintAccessToken(app, user.id);
  return { user, accessToken, authorization: `Bearer ${accessToken}` };
}

/** A signed access token for an existing user, in a session of its own. */
export function mintAccessToken(app: INestApplication, userId: string): Promise<string> {
  const claims: AccessTokenClaims = { sub: userId, sid: randomUUID() };
  return app.get(JwtService).signAsync(claims);
}
