import { NestExpressApplication } from '@nestjs/platform-express';
import { OrganisationRepository, UserRepository } from '@vigia/database';
import { Secret, TOTP } from 'otpauth';
import request from 'supertest';
import { seedCoordinator } from '../../apps/portal/src/cli/seed-coordinator';
import { reportBody } from '../factories/report.factory';
import { bootIngestApp } from '../support/ingest-app';
import { bootPortalApp } from '../support/portal-app';
import { TestContext, createTestContext } from '../support/test-context';

/**
 * The first hour of a network, through the HTTP APIs only: the seeded coordinator signs in, enrols a second factor,
 * creates the first member organisation and invites its org-admin, who signs in, enrols, invites an analyst and
 * makes an API key with `reports:write`; the key submits a report; a key without the scope is refused.
 */
describe('from the seeded coordinator to a member submitting a report', () => {
  let context: TestContext;
  let portal: NestExpressApplication;
  let ingest: NestExpressApplication;

  beforeAll(async () => {
    context = await createTestContext();
    [portal, ingest] = await Promise.all([bootPortalApp(context.config), bootIngestApp(context.config)]);
  });

  afterAll(async () => {
    await Promise.all([portal?.close(), ingest?.close()]);
    await context?.cleanup();
  });

  const http = () => request(portal.getHttpServer());
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const signedIn = (response: request.Response): string => {
    if (response.status !== 200)
      throw new Error(`sign-in answered ${response.status}: ${JSON.stringify(response.body)}`);
    return response.body.access_token as string;
  };
  const signIn = async (email: string, password: string, otp?: string): Promise<string> =>
    signedIn(await http().post('/api/v1/auth/login').send({ email, password, otp }));
  /** Enrols and confirms TOTP for the signed-in person; answers its generator for later sign-ins. */
  const enrol = async (token: string): Promise<TOTP> => {
    const started = await http().post('/api/v1/auth/totp').set(bearer(token)).expect(200);
    const totp = new TOTP({ secret: Secret.fromBase32(started.body.secret) });
    await http().post('/api/v1/auth/totp/confirm').set(bearer(token)).send({ code: totp.generate() }).expect(200);
    return totp;
  };
  /** Sets the invited person's password through the one-time invitation. */
  const accept = (token: string, password: string) =>
    http().post('/api/v1/invitations/accept').send({ token, password }).expect(204);

  it('works end to end, and a key without the scope gets 403', async () => {
    const seeded = await seedCoordinator(
      { users: new UserRepository(context.dataSource), organisations: new OrganisationRepository(context.dataSource) },
      { email: 'coordinator@network.example' },
    );
    const coordinator = await signIn(seeded.email, seeded.password!);
    // Nothing but enrolment until the second factor is on.
    await http().post('/api/v1/organisations').set(bearer(coordinator)).send({}).expect(403);
    await enrol(coordinator);

    const organisation = await http()
      .post('/api/v1/organisations')
      .set(bearer(coordinator))
      .send({ name: 'CERT Example', short_name: 'cert-example', kind: 'national-csirt', country: 'UY' })
      .expect(201);
    const orgId = organisation.body.id as string;
    const admin = await http()
      .post(`/api/v1/organisations/${orgId}/users`)
      .set(bearer(coordinator))
      .send({ email: 'admin@cert.example', display_name: 'Admin', role: 'org-admin' })
      .expect(201);
    await accept(admin.body.invitation.token, 'the admin password');

    const adminToken = await signIn('admin@cert.example', 'the admin password');
    const adminTotp = await enrol(adminToken);
    // The next sign-in needs the code.
    await http()
      .post('/api/v1/auth/login')
      .send({ email: 'admin@cert.example', password: 'the admin password' })
      .expect(401);
    // The confirmation spent this step's code: the next step's (accepted one step either side) signs in.
    const nextCode = adminTotp.generate({ timestamp: Date.now() + 30_000 });
    const adminSession = await signIn('admin@cert.example', 'the admin password', nextCode);

    const analyst = await http()
      .post(`/api/v1/organisations/${orgId}/users`)
      .set(bearer(adminSession))
      .send({ email: 'analyst@cert.example', display_name: 'Analyst', role: 'analyst' })
      .expect(201);
    await accept(analyst.body.invitation.token, 'the analyst password');
    const analystToken = await signIn('analyst@cert.example', 'the analyst password');
    await http().get('/api/v1/subscriptions').set(bearer(analystToken)).expect(200);

    const key = await http()
      .post(`/api/v1/organisations/${orgId}/api-keys`)
      .set(bearer(adminSession))
      .send({ name: 'misp', scopes: ['reports:write'] })
      .expect(201);
    await request(ingest.getHttpServer())
      .post('/api/v1/reports')
      .set('X-Api-Key', key.body.secret)
      .send(reportBody())
      .expect(202);

    const streamOnly = await http()
      .post(`/api/v1/organisations/${orgId}/api-keys`)
      .set(bearer(adminSession))
      .send({ name: 'dashboard', scopes: ['stream:read'] })
      .expect(201);
    const refused = await request(ingest.getHttpServer())
      .post('/api/v1/reports')
      .set('X-Api-Key', streamOnly.body.secret)
      .send(reportBody())
      .expect(403);
    expect(refused.body.message).toMatch(/reports:write/);
  });
});
