import { NestExpressApplication } from '@nestjs/platform-express';
import { hashPasswordWithScrypt, verifyPassword } from '@vigia/auth';
import {
  OrganisationEntity,
  OrganisationRepository,
  OrganisationStatus,
  UserEntity,
  UserRepository,
  UserRole,
  UserSessionEntity,
} from '@vigia/database';
import request from 'supertest';
import { createOrganisation, createOrganisationWithApiKey } from '../../scripts/lib/organisation.factory';
import { seedCoordinator } from '../../apps/portal/src/cli/seed-coordinator';
import { bootPortalApp } from '../support/portal-app';
import { createUser, signIn } from '../support/people';
import { TestContext, createTestContext } from '../support/test-context';

describe('portal: sign-in and sessions', () => {
  let context: TestContext;
  let app: NestExpressApplication;
  let organisationId: string;

  beforeAll(async () => {
    context = await createTestContext();
    app = await bootPortalApp(context.config);
    organisationId = (await createOrganisation(context.dataSource)).id;
  });

  afterAll(async () => {
    await app?.close();
    await context?.cleanup();
  });

  const http = () => request(app.getHttpServer());
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const subscriptions = (token: string) => http().get('/api/v1/subscriptions').set(bearer(token));
  const refresh = (token: string) => http().post('/api/v1/auth/refresh').send({ refresh_token: token });
  const newAnalyst = () => createUser(context.dataSource, { organisationId, role: UserRole.Analyst });

  it('signs the seeded coordinator in and upgrades a scrypt hash to argon2id', async () => {
    const seeded = await seedCoordinator(
      { users: new UserRepository(context.dataSource), organisations: new OrganisationRepository(context.dataSource) },
      { email: 'coordinator@example.org' },
    );
    const password = seeded.password ?? '';
    const users = context.dataSource.getRepository(UserEntity);
    // As seeded before argon2id: the former scrypt format.
    await users.update({ email: 'coordinator@example.org' }, { passwordHash: await hashPasswordWithScrypt(password) });

    const response = await http()
      .post('/api/v1/auth/login')
      .send({ email: 'Coordinator@Example.org', password })
      .expect(200);
    expect(response.body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: context.config.auth.accessTokenTtlSeconds,
      refresh_token: expect.stringMatching(/^vigia_rt_/),
      session_id: expect.any(String),
    });
    const stored = await users.findOneByOrFail({ email: 'coordinator@example.org' });
    expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
    await expect(verifyPassword(password, stored.passwordHash!)).resolves.toBe(true);

    // A coordinator must enrol a second factor before anything else; their sessions are open to them meanwhile.
    const refused = await subscriptions(response.body.access_token).expect(403);
    expect(refused.body.message).toMatch(/Enrol a second factor first/);
    await http().get('/api/v1/auth/sessions').set('Authorization', `Bearer ${response.body.access_token}`).expect(200);
    // Signing in again with the upgraded hash still works.
    await signIn(app, 'coordinator@example.org', password);
  });

  it('answers one generic 401 for an unknown e-mail and a wrong password, 400 for bad input', async () => {
    const { email } = await newAnalyst();
    const wrong = await http().post('/api/v1/auth/login').send({ email, password: 'not it' }).expect(401);
    const unknown = await http()
      .post('/api/v1/auth/login')
      .send({ email: 'nobody@example.org', password: 'not it' })
      .expect(401);
    expect(wrong.body.message).toBe('Wrong e-mail or password');
    expect(unknown.body.message).toBe(wrong.body.message);
    const bad = await http().post('/api/v1/auth/login').send({ email: 'not-an-email' }).expect(400);
    expect(bad.body.details.map((detail: { path: string }) => detail.path)).toEqual(
      expect.arrayContaining(['email', 'password']),
    );
  });

  it('refuses a missing, malformed or forged access token', async () => {
    await http().get('/api/v1/subscriptions').expect(401);
    await subscriptions('not.a.jwt').expect(401);
    const { accessToken } = await signIn(app, ...(await credentials()));
    await subscriptions(`${accessToken.slice(0, -2)}xx`).expect(401);
  });

  it('rotates refresh tokens: each is single use and answers a working pair', async () => {
    const first = await signIn(app, ...(await credentials()));
    const rotated = await refresh(first.refreshToken).expect(200);
    expect(rotated.body.refresh_token).not.toBe(first.refreshToken);
    expect(rotated.body.session_id).toBe(first.sessionId);
    await subscriptions(rotated.body.access_token).expect(200);
    const again = await refresh(rotated.body.refresh_token).expect(200);
    await subscriptions(again.body.access_token).expect(200);
    await refresh('vigia_rt_unknown').expect(401);
    await http().post('/api/v1/auth/refresh').send({}).expect(401);
  });

  it('revokes the whole family when a used refresh token comes back', async () => {
    const first = await signIn(app, ...(await credentials()));
    const rotated = await refresh(first.refreshToken).expect(200);

    const reuse = await refresh(first.refreshToken).expect(401);
    expect(reuse.body.message).toMatch(/already used/);
    await refresh(rotated.body.refresh_token).expect(401);
    await subscriptions(rotated.body.access_token).expect(401);
    await subscriptions(first.accessToken).expect(401);
    const session = await context.dataSource.getRepository(UserSessionEntity).findOneByOrFail({ id: first.sessionId });
    expect(session.revokedReason).toBe('refresh-token-reuse');
  });

  it('lets only one of two concurrent refreshes with one token succeed', async () => {
    const session = await signIn(app, ...(await credentials()));
    const answers = await Promise.all([refresh(session.refreshToken), refresh(session.refreshToken)]);
    // The token was presented twice: one rotation, then the second presentation is a reuse that ends the session.
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 401]);
    const winner = answers.find((answer) => answer.status === 200);
    await subscriptions(winner?.body.access_token).expect(401);
  });

  it('refuses the tokens of an expired session', async () => {
    const session = await signIn(app, ...(await credentials()));
    await context.dataSource
      .getRepository(UserSessionEntity)
      .update({ id: session.sessionId }, { expiresAt: new Date(Date.now() - 1000) });
    await subscriptions(session.accessToken).expect(401);
    const answer = await refresh(session.refreshToken).expect(401);
    expect(answer.body.message).toMatch(/session has ended/);
  });

  it('logout ends this session only; logout-all ends every one', async () => {
    const who = await credentials();
    const one = await signIn(app, ...who);
    const two = await signIn(app, ...who);
    const three = await signIn(app, ...who);

    await http().post('/api/v1/auth/logout').set(bearer(one.accessToken)).expect(204);
    await subscriptions(one.accessToken).expect(401);
    await refresh(one.refreshToken).expect(401);
    await subscriptions(two.accessToken).expect(200);

    await http().post('/api/v1/auth/logout-all').set(bearer(two.accessToken)).expect(204);
    await subscriptions(two.accessToken).expect(401);
    await subscriptions(three.accessToken).expect(401);
    await refresh(three.refreshToken).expect(401);
  });

  it('lists the live sessions and ends one, but not another user’s', async () => {
    const who = await credentials();
    const mine = await signIn(app, ...who);
    const other = await http()
      .post('/api/v1/auth/login')
      .set('User-Agent', 'Firefox test')
      .send({ email: who[0], password: who[1] })
      .expect(200);
    const someoneElse = await signIn(app, ...(await credentials()));

    const list = await http().get('/api/v1/auth/sessions').set(bearer(mine.accessToken)).expect(200);
    expect(list.body.items).toHaveLength(2);
    expect(list.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: mine.sessionId, current: true }),
        expect.objectContaining({ id: other.body.session_id, current: false, user_agent: 'Firefox test' }),
      ]),
    );
    expect(list.body.items[0]).toEqual({
      id: expect.any(String),
      created_at: expect.any(String),
      last_used_at: expect.any(String),
      expires_at: expect.any(String),
      user_agent: expect.anything(),
      ip_address: expect.stringMatching(/127\.0\.0\.1|::1/),
      current: expect.any(Boolean),
    });

    await http().delete(`/api/v1/auth/sessions/${someoneElse.sessionId}`).set(bearer(mine.accessToken)).expect(404);
    await subscriptions(someoneElse.accessToken).expect(200);
    await http().delete('/api/v1/auth/sessions/not-a-uuid').set(bearer(mine.accessToken)).expect(400);

    await http().delete(`/api/v1/auth/sessions/${other.body.session_id}`).set(bearer(mine.accessToken)).expect(204);
    await subscriptions(other.body.access_token).expect(401);
    const after = await http().get('/api/v1/auth/sessions').set(bearer(mine.accessToken)).expect(200);
    expect(after.body.items.map((item: { id: string }) => item.id)).toEqual([mine.sessionId]);
  });

  it('refuses a disabled user at once, and its sign-in and refresh', async () => {
    const { user, email, password } = await newAnalyst();
    const session = await signIn(app, email, password);
    await context.dataSource.getRepository(UserEntity).update({ id: user.id }, { disabledAt: new Date() });

    await subscriptions(session.accessToken).expect(401);
    await refresh(session.refreshToken).expect(401);
    const login = await http().post('/api/v1/auth/login').send({ email, password }).expect(403);
    expect(login.body.message).toMatch(/disabled/);
  });

  it('refuses the people of an organisation that is suspended, at once and at sign-in', async () => {
    const organisation = await createOrganisation(context.dataSource);
    const { email, password } = await createUser(context.dataSource, {
      organisationId: organisation.id,
      role: UserRole.Analyst,
    });
    const session = await signIn(app, email, password);
    await subscriptions(session.accessToken).expect(200);
    await context.dataSource
      .getRepository(OrganisationEntity)
      .update({ id: organisation.id }, { status: OrganisationStatus.Suspended });
    await subscriptions(session.accessToken).expect(401);
    await http().post('/api/v1/auth/login').send({ email, password }).expect(403);
  });

  it('API keys cannot use people’s routes', async () => {
    const { apiKey } = await createOrganisationWithApiKey(context.dataSource);
    await http().get('/api/v1/auth/sessions').expect(401);
    const refused = await http().get('/api/v1/auth/sessions').set('X-Api-Key', apiKey).expect(403);
    expect(refused.body.message).toMatch(/signed-in people/);
  });

  describe('browser sessions (cookies)', () => {
    const cookiesOf = (response: request.Response): Map<string, string> => {
      const lines = (response.headers['set-cookie'] ?? []) as unknown as string[];
      return new Map(lines.map((line) => [line.slice(0, line.indexOf('=')), line]));
    };
    const valueOf = (line: string | undefined): string => line?.split(';', 1)[0]?.split('=', 2)[1] ?? '';

    it('sets HttpOnly, Secure, SameSite=Strict cookies and requires X-CSRF-Token on changes', async () => {
      const [email, password] = await credentials();
      const login = await http().post('/api/v1/auth/login').send({ email, password, cookie: true }).expect(200);
      expect(login.body.access_token).toBeUndefined();
      expect(login.body.refresh_token).toBeUndefined();
      const cookies = cookiesOf(login);
      const access = cookies.get('vigia_access') ?? '';
      const refreshCookie = cookies.get('vigia_refresh') ?? '';
      const csrf = cookies.get('vigia_csrf') ?? '';
      expect(access).toMatch(/; HttpOnly/);
      expect(access).toMatch(/; Secure/);
      expect(access).toMatch(/; SameSite=Strict/);
      expect(refreshCookie).toMatch(/; Path=\/api\/v1\/auth;/);
      expect(refreshCookie).toMatch(/; HttpOnly/);
      expect(csrf).not.toMatch(/HttpOnly/);
      expect(csrf).toMatch(/; SameSite=Strict/);

      const session = [access, csrf].map((line) => line.split(';', 1)[0]).join('; ');
      // Reading needs no CSRF token.
      await http().get('/api/v1/auth/sessions').set('Cookie', session).expect(200);
      // A change without it, or with a wrong one, is refused with a reason.
      const refused = await http()
        .post('/api/v1/subscriptions')
        .set('Cookie', session)
        .send({ name: 'x', channels: [{ type: 'stream' }] })
        .expect(403);
      expect(refused.body.message).toMatch(/X-CSRF-Token/);
      await http()
        .post('/api/v1/subscriptions')
        .set('Cookie', session)
        .set('X-CSRF-Token', 'forged')
        .send({ name: 'x', channels: [{ type: 'stream' }] })
        .expect(403);
      await http()
        .post('/api/v1/subscriptions')
        .set('Cookie', session)
        .set('X-CSRF-Token', valueOf(csrf))
        .send({ name: 'cookie session', channels: [{ type: 'stream' }] })
        .expect(201);

      // Refresh by cookie also needs the header, and sets new cookies.
      const refreshCookies = [refreshCookie, csrf].map((line) => line.split(';', 1)[0]).join('; ');
      await http().post('/api/v1/auth/refresh').set('Cookie', refreshCookies).expect(403);
      const refreshed = await http()
        .post('/api/v1/auth/refresh')
        .set('Cookie', refreshCookies)
        .set('X-CSRF-Token', valueOf(csrf))
        .expect(200);
      expect(refreshed.body.refresh_token).toBeUndefined();
      const renewed = cookiesOf(refreshed);
      expect(valueOf(renewed.get('vigia_refresh'))).not.toBe(valueOf(refreshCookie));
      const renewedSession = ['vigia_access', 'vigia_csrf']
        .map((name) => (renewed.get(name) ?? '').split(';', 1)[0])
        .join('; ');

      const logout = await http()
        .post('/api/v1/auth/logout')
        .set('Cookie', renewedSession)
        .set('X-CSRF-Token', valueOf(renewed.get('vigia_csrf')))
        .expect(204);
      expect(cookiesOf(logout).get('vigia_access')).toMatch(/Expires=Thu, 01 Jan 1970/);
      await http().get('/api/v1/auth/sessions').set('Cookie', renewedSession).expect(401);
    });

    it('also answers cookies for ?session=cookie', async () => {
      const [email, password] = await credentials();
      const login = await http().post('/api/v1/auth/login?session=cookie').send({ email, password }).expect(200);
      expect(login.body.access_token).toBeUndefined();
      expect([...cookiesOf(login).keys()].sort()).toEqual(['vigia_access', 'vigia_csrf', 'vigia_refresh']);
    });

    it('needs no CSRF token when the access token comes in the Authorization header', async () => {
      const { accessToken } = await signIn(app, ...(await credentials()));
      await http()
        .post('/api/v1/subscriptions')
        .set(bearer(accessToken))
        .set('Cookie', 'vigia_csrf=abc')
        .send({ name: 'bearer session', channels: [{ type: 'stream' }] })
        .expect(201);
    });
  });

  /** A fresh analyst's e-mail and password. */
  async function credentials(): Promise<[string, string]> {
    const { email, password } = await newAnalyst();
    return [email, password];
  }
});
