import { NestExpressApplication } from '@nestjs/platform-express';
import { AuditEventRow, UserRole } from '@vigia/database';
import { Secret, TOTP } from 'otpauth';
import request from 'supertest';
import { createOrganisation } from '../../scripts/lib/organisation.factory';
import { CreatedUser, createUser, signIn } from '../support/people';
import { bootPortalApp } from '../support/portal-app';
import { TestContext, createTestContext } from '../support/test-context';

/** An event as `audit_events` stores it (the API answers the same fields). */
type StoredEvent = Omit<AuditEventRow, 'id' | 'occurred_at'>;

describe('audit log: sign-in and sessions', () => {
  let context: TestContext;
  let app: NestExpressApplication;

  beforeAll(async () => {
    context = await createTestContext();
    app = await bootPortalApp(context.config);
  });

  afterAll(async () => {
    await app?.close();
    await context?.cleanup();
  });

  const http = () => request(app.getHttpServer());
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const login = (body: object, requestId: string) =>
    http().post('/api/v1/auth/login').set('X-Request-Id', requestId).send(body);

  /** A new organisation with one analyst, so its events are this test's only. */
  const newPerson = async (): Promise<CreatedUser & { organisationId: string }> => {
    const organisationId = (await createOrganisation(context.dataSource)).id;
    return { ...(await createUser(context.dataSource, { organisationId, role: UserRole.Analyst })), organisationId };
  };

  /** The organisation's events, oldest first. */
  const eventsOf = async (organisationId: string): Promise<StoredEvent[]> =>
    (await context.dataSource.query(
      `SELECT organisation_id, actor_user_id, actor_api_key_id, action, target_type, target_id,
              host(address) AS address, request_id, details
         FROM audit_events WHERE organisation_id = $1 ORDER BY id`,
      [organisationId],
    )) as StoredEvent[];

  /** No secret in any event, details included. */
  const expectNoneContains = (events: StoredEvent[], secrets: string[]): void => {
    const everything = JSON.stringify(events);
    for (const secret of secrets) expect(everything).not.toContain(secret);
  };

  it('records a success and a wrong password for the account, and nothing for an unknown e-mail', async () => {
    const { user, email, password, organisationId } = await newPerson();
    await login({ email, password: 'not-the-password' }, 'sign-in-wrong').expect(401);
    await login({ email: 'nobody-here@example.org', password }, 'sign-in-unknown').expect(401);
    const signedIn = await login({ email, password }, 'sign-in-ok').expect(200);

    const events = await eventsOf(organisationId);
    const origin = { organisation_id: organisationId, actor_user_id: user.id, address: '127.0.0.1' };
    expect(events).toEqual([
      expect.objectContaining({
        ...origin,
        action: 'login.failed',
        target_type: 'user',
        target_id: user.id,
        request_id: 'sign-in-wrong',
        details: { reason: 'wrong-password' },
      }),
      expect.objectContaining({
        ...origin,
        action: 'login.succeeded',
        target_type: 'session',
        target_id: signedIn.body.session_id,
        request_id: 'sign-in-ok',
        details: {},
      }),
    ]);
    // An unknown e-mail has no organisation: no event anywhere.
    const unknown = (await context.dataSource.query(`SELECT id FROM audit_events WHERE request_id = $1`, [
      'sign-in-unknown',
    ])) as unknown[];
    expect(unknown).toHaveLength(0);
    expectNoneContains(events, [
      password,
      'not-the-password',
      signedIn.body.access_token as string,
      signedIn.body.refresh_token as string,
    ]);
  });

  it('records the lock once, when the throttle starts refusing the account', async () => {
    const { user, email, password, organisationId } = await newPerson();
    for (let attempt = 0; attempt < 10; attempt++) {
      await login({ email, password: `wrong-${attempt}` }, `lock-${attempt}`).expect(401);
    }
    await login({ email, password }, 'lock-refused').expect(423);

    const events = await eventsOf(organisationId);
    expect(events.filter((event) => event.action === 'login.failed')).toHaveLength(10);
    expect(events.filter((event) => event.action === 'account.locked')).toEqual([
      expect.objectContaining({
        organisation_id: organisationId,
        actor_user_id: user.id,
        target_id: user.id,
        address: '127.0.0.1',
        request_id: 'lock-9',
        details: { retry_after_seconds: 900 },
      }),
    ]);
    expect(events.some((event) => event.request_id === 'lock-refused')).toBe(false);
    expectNoneContains(events, [password, 'wrong-0', 'wrong-9']);
  });

  it('records logout, ending a session and logout-all, each once', async () => {
    const { user, email, password, organisationId } = await newPerson();
    const first = await signIn(app, email, password);
    const second = await signIn(app, email, password);
    const third = await signIn(app, email, password);

    await http()
      .delete(`/api/v1/auth/sessions/${second.sessionId}`)
      .set(bearer(first.accessToken))
      .set('X-Request-Id', 'end-one')
      .expect(204);
    await http().post('/api/v1/auth/logout').set(bearer(first.accessToken)).set('X-Request-Id', 'logout').expect(204);
    await http()
      .post('/api/v1/auth/logout-all')
      .set(bearer(third.accessToken))
      .set('X-Request-Id', 'logout-all')
      .expect(204);

    const events = await eventsOf(organisationId);
    expect(events.filter((event) => event.action === 'login.succeeded')).toHaveLength(3);
    const origin = { organisation_id: organisationId, actor_user_id: user.id, address: '127.0.0.1' };
    expect(events.filter((event) => event.action === 'session.revoked')).toEqual([
      expect.objectContaining({
        ...origin,
        target_type: 'session',
        target_id: second.sessionId,
        request_id: 'end-one',
        details: { reason: 'revoked' },
      }),
      expect.objectContaining({
        ...origin,
        target_type: 'session',
        target_id: first.sessionId,
        request_id: 'logout',
        details: { reason: 'logout' },
      }),
      expect.objectContaining({
        ...origin,
        target_type: 'user',
        target_id: user.id,
        request_id: 'logout-all',
        details: { reason: 'logout-all', count: 1 },
      }),
    ]);
    expectNoneContains(events, [
      password,
      ...[first, second, third].flatMap((signed) => [signed.accessToken, signed.refreshToken]),
    ]);
  });

  it('records a session revoked for refresh-token reuse with no actor', async () => {
    const { user, email, password, organisationId } = await newPerson();
    const signed = await signIn(app, email, password);
    const refresh = (requestId: string) =>
      http().post('/api/v1/auth/refresh').set('X-Request-Id', requestId).send({ refresh_token: signed.refreshToken });
    const rotated = await refresh('refresh-ok').expect(200);
    await refresh('refresh-reused').expect(401);

    const events = await eventsOf(organisationId);
    expect(events.filter((event) => event.action !== 'login.succeeded')).toEqual([
      {
        organisation_id: organisationId,
        actor_user_id: null,
        actor_api_key_id: null,
        action: 'session.revoked',
        target_type: 'session',
        target_id: signed.sessionId,
        address: '127.0.0.1',
        request_id: 'refresh-reused',
        details: { reason: 'refresh-token-reuse', user_id: user.id },
      },
    ]);
    expectNoneContains(events, [
      password,
      signed.accessToken,
      signed.refreshToken,
      rotated.body.access_token as string,
      rotated.body.refresh_token as string,
    ]);
  });

  it('records TOTP confirmation, and a missing or wrong second factor at sign-in', async () => {
    const { user, email, password, organisationId } = await newPerson();
    const { accessToken } = await signIn(app, email, password);
    const enrolled = await http().post('/api/v1/auth/totp').set(bearer(accessToken)).expect(200);
    const totp = new TOTP({ secret: Secret.fromBase32(enrolled.body.secret as string) });
    const code = totp.generate({ timestamp: Date.now() - 30_000 });
    const confirmed = await http()
      .post('/api/v1/auth/totp/confirm')
      .set(bearer(accessToken))
      .set('X-Request-Id', 'totp-confirm')
      .send({ code })
      .expect(200);
    await login({ email, password }, 'totp-missing').expect(401);
    // The confirmation's code is spent: a wrong second factor.
    await login({ email, password, otp: code }, 'totp-wrong').expect(401);

    const events = await eventsOf(organisationId);
    const origin = { organisation_id: organisationId, actor_user_id: user.id, address: '127.0.0.1' };
    expect(events.filter((event) => event.action !== 'login.succeeded')).toEqual([
      expect.objectContaining({
        ...origin,
        action: 'totp.enabled',
        target_type: 'user',
        target_id: user.id,
        request_id: 'totp-confirm',
        details: {},
      }),
      expect.objectContaining({
        ...origin,
        action: 'login.failed',
        request_id: 'totp-missing',
        details: { reason: 'missing-second-factor' },
      }),
      expect.objectContaining({
        ...origin,
        action: 'login.failed',
        request_id: 'totp-wrong',
        details: { reason: 'wrong-second-factor' },
      }),
    ]);
    expectNoneContains(events, [
      password,
      accessToken,
      enrolled.body.secret as string,
      code,
      ...(confirmed.body.recovery_codes as string[]),
    ]);
  });
});
