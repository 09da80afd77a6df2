import { NestExpressApplication } from '@nestjs/platform-express';
import { UserRole } from '@vigia/database';
import { Secret, TOTP } from 'otpauth';
import request from 'supertest';
import { createOrganisation } from '../../scripts/lib/organisation.factory';
import { createUser, signIn } from '../support/people';
import { bootPortalApp } from '../support/portal-app';
import { TestContext, createTestContext } from '../support/test-context';

describe('portal: two-factor sign-in (TOTP)', () => {
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
  const login = (body: object) => http().post('/api/v1/auth/login').send(body);
  /** The code of the step `offset` steps from now (the server accepts one step either side). */
  const codeAt = (totp: TOTP, offset: number) => totp.generate({ timestamp: Date.now() + offset * 30_000 });

  it('enrols, confirms with a code, then needs a code (each once) or a recovery code (each once)', async () => {
    const { email, password } = await createUser(context.dataSource, { organisationId, role: UserRole.Analyst });
    const { accessToken } = await signIn(app, email, password);
    const auth = { Authorization: `Bearer ${accessToken}` };

    await http().post('/api/v1/auth/totp/confirm').set(auth).send({ code: '123456' }).expect(409);
    const enrolled = await http().post('/api/v1/auth/totp').set(auth).expect(200);
    expect(enrolled.body.otpauth_uri).toMatch(/^otpauth:\/\/totp\/Vigia:.*secret=/);
    const totp = new TOTP({ secret: Secret.fromBase32(enrolled.body.secret) });

    // Not on until confirmed.
    await signIn(app, email, password);
    await http().post('/api/v1/auth/totp/confirm').set(auth).send({ code: 'abc' }).expect(400);
    const wrongCode = codeAt(totp, 0) === '000000' ? '111111' : '000000';
    await http().post('/api/v1/auth/totp/confirm').set(auth).send({ code: wrongCode }).expect(400);
    const confirmCode = codeAt(totp, -1);
    const confirmed = await http().post('/api/v1/auth/totp/confirm').set(auth).send({ code: confirmCode }).expect(200);
    expect(confirmed.body.recovery_codes).toHaveLength(10);
    await http().post('/api/v1/auth/totp').set(auth).expect(409);

    const missing = await login({ email, password }).expect(401);
    expect(missing.body.message).toMatch(/send otp or recovery_code/);
    // The confirmation's code is spent.
    await login({ email, password, otp: confirmCode }).expect(401);
    const code = codeAt(totp, 0);
    await login({ email, password, otp: code }).expect(200);
    const replayed = await login({ email, password, otp: code }).expect(401);
    expect(replayed.body.message).toMatch(/already used/);
    await login({ email, password: 'wrong', otp: codeAt(totp, 1) }).expect(401);
    await login({ email, password, otp: codeAt(totp, 1) }).expect(200);

    const [recovery] = confirmed.body.recovery_codes as string[];
    await login({ email, password, recovery_code: recovery?.toUpperCase() }).expect(200);
    await login({ email, password, recovery_code: recovery }).expect(401);
    await login({ email, password, recovery_code: 'ffff-ffff-ffff-ffff' }).expect(401);
  });

  it('makes coordinators and org-admins enrol before anything else; analysts may act without', async () => {
    for (const role of [UserRole.OrgAdmin, UserRole.Coordinator]) {
      const { email, password } = await createUser(context.dataSource, { organisationId, role });
      const { accessToken } = await signIn(app, email, password);
      const auth = { Authorization: `Bearer ${accessToken}` };
      const refused = await http().get('/api/v1/subscriptions').set(auth).expect(403);
      expect(refused.body.message).toMatch(/Enrol a second factor first/);
      // Enrolment, sessions and sign-out stay open.
      await http().get('/api/v1/auth/sessions').set(auth).expect(200);
      const enrolled = await http().post('/api/v1/auth/totp').set(auth).expect(200);
      const totp = new TOTP({ secret: Secret.fromBase32(enrolled.body.secret) });
      await http()
        .post('/api/v1/auth/totp/confirm')
        .set(auth)
        .send({ code: codeAt(totp, 0) })
        .expect(200);
      // The same session may act at once, and the next sign-in needs a code.
      await http().get('/api/v1/subscriptions').set(auth).expect(200);
      await login({ email, password }).expect(401);
    }
    const analyst = await createUser(context.dataSource, { organisationId, role: UserRole.Analyst });
    const { accessToken } = await signIn(app, analyst.email, analyst.password);
    await http().get('/api/v1/subscriptions').set('Authorization', `Bearer ${accessToken}`).expect(200);
  });
});
