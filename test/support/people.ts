import { randomBytes } from 'node:crypto';
import { NestExpressApplication } from '@nestjs/platform-express';
import { generatePassword, hashPassword } from '@vigia/auth';
import { UserEntity, UserRole } from '@vigia/database';
import request from 'supertest';
import { DataSource } from 'typeorm';

export interface CreatedUser {
  user: UserEntity;
  email: string;
  password: string;
}

/** A person's account with an argon2id password hash; e-mail and password are made up unless given. */
export async function createUser(
  dataSource: DataSource,
  options: { organisationId: string; role: UserRole; email?: string; password?: string; displayName?: string },
): Promise<CreatedUser> {
  const email = (options.email ?? `person-${randomBytes(4).toString('hex')}@example.org`).toLowerCase();
  const password = options.password ?? generatePassword();
  const user = await dataSource.getRepository(UserEntity).save({
    organisationId: options.organisationId,
    email,
    displayName: options.displayName ?? email,
    passwordHash: await hashPassword(password),
    role: options.role,
  });
  return { user, email, password };
}

export interface SignedIn {
  accessToken: string;
  refreshToken: string;
  sessionId: string;
}

/** Signs in through the real login endpoint (token mode); fails the test unless it answers 200. */
export async function signIn(app: NestExpressApplication, email: string, password: string): Promise<SignedIn> {
  const response = await request(app.getHttpServer()).post('/api/v1/auth/login').send({ email, password });
  if (response.status !== 200) {
    throw new Error(`sign-in as ${email} answered ${response.status}: ${JSON.stringify(response.body)}`);
  }
  const body = response.body as { access_token: string; refresh_token: string; session_id: string };
  return { accessToken: body.access_token, refreshToken: body.refresh_token, sessionId: body.session_id };
}
