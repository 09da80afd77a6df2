import { randomUUID } from 'node:crypto';
import { NestExpressApplication } from '@nestjs/platform-express';
import { hashInvitationToken, verifyPassword } from '@vigia/auth';
import { InvitationEntity, OrganisationRepository, UserEntity, UserRole } from '@vigia/database';
import request from 'supertest';
import { reportBody } from '../factories/report.factory';
import { accessTokenFor, createPerson } from '../support/access-token';
import { bootIngestApp } from '../support/ingest-app';
import { bootPortalApp } from '../support/portal-app';
import { TestContext, createTestContext } from '../support/test-context';

// Onboarding end to end: a coordinator adds an organisation and invites its org-admin, who invites an analyst and
// makes API keys that ingest honours (scopes, revocation, suspension) at once.
describe('portal: organisations, people and API keys', () => {
  let context: TestContext;
  let portal: NestExpressApplication;
  let ingest: NestExpressApplication;
  let coordinator: string;

  beforeAll(async () => {
    context = await createTestContext();
    portal = await bootPortalApp(context.config);
    ingest = await bootIngestApp(context.config);
    const coordinating = await portal.get(OrganisationRepository).findOrCreateCoordinator('Coordination', 'coord');
    coordinator = (await createPerson(portal, coordinating.id, UserRole.Coordinator)).token;
  });

  afterAll(async () => {
    await ingest?.close();
    await portal?.close();
    await context?.cleanup();
  });

  const as = (token: string) => ({
    get: (path: string) => request(portal.getHttpServer()).get(`/api/v1${path}`).auth(token, { type: 'bearer' }),
    post: (path: string, body: object = {}) =>
      request(portal.getHttpServer()).post(`/api/v1${path}`).auth(token, { type: 'bearer' }).send(body),
    patch: (path: string, body: object) =>
      request(portal.getHttpServer()).patch(`/api/v1${path}`).auth(token, { type: 'bearer' }).send(body),
    delete: (path: string) => request(portal.getHttpServer()).delete(`/api/v1${path}`).auth(token, { type: 'bearer' }),
  });
  const submitReport = (apiKey: string) =>
    request(ingest.getHttpServer()).post('/api/v1/reports').set('X-Api-Key', apiKey).send(reportBody());

  let shortNames = 0;
  const createOrganisation = async (overrides: object = {}): Promise<string> => {
    shortNames += 1;
    const body = { name: `CSIRT ${shortNames}`, short_name: `csirt-${shortNames}`, country: 'uy', ...overrides };
    return (await as(coordinator).post('/organisations', body).expect(201)).body.id as string;
  };

  /** Invites an org-admin through the API, accepts the invitation and answers their access token. */
  const onboardOrgAdmin = async (organisationId: string): Promise<{ userId: string; token: string }> => {
    const invited = await as(coordinator)
      .post(`/organisations/${organisationId}/users`, {
        email: `admin-${randomUUID()}@example.org`,
        display_name: 'Admin',
        role: 'org-admin',
      })
      .expect(201);
    await request(portal.getHttpServer())
      .post('/api/v1/invitations/accept')
      .send({ token: invited.body.invitation.token, password: 'a long enough password' })
      .expect(204);
    return { userId: invited.body.id, token: await accessTokenFor(portal, invited.body.id) };
  };

  describe('organisations', () => {
    it('lets a coordinator create an active organisation and refuses bad input with every problem', async () => {
      const created = await as(coordinator)
        .post('/organisations', {
          name: ' CERTuy ',
          short_name: 'CERTuy',
          kind: 'national-csirt',
          country: 'uy',
          sector: 'government',
        })
        .expect(201);
      expect(created.body).toEqual({
        id: expect.any(String),
        name: 'CERTuy',
        short_name: 'certuy',
        kind: 'national-csirt',
        country: 'UY',
        sector: 'government',
        status: 'active',
        status_reason: null,
        status_changed_at: null,
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });
      await as(coordinator).post('/organisations', { name: 'Again', short_name: 'certuy', country: 'UY' }).expect(409);

      const bad = await as(coordinator)
        .post('/organisations', { name: '', short_name: 'no spaces', kind: 'coordinator', country: 'XX' })
        .expect(400);
      expect(bad.body.error).toBe('VALIDATION_FAILED');
      expect(new Set(bad.body.details.map((detail: { path: string }) => detail.path))).toEqual(
        new Set(['name', 'short_name', 'kind', 'country']),
      );
    });

    it('shows coordinators every organisation and others only their own; another one is 404', async () => {
      const first = await createOrganisation();
      const second = await createOrganisation();
      const admin = await onboardOrgAdmin(first);

      const all = await as(coordinator).get('/organisations').expect(200);
      expect(all.body.items.map((item: { id: string }) => item.id)).toEqual(expect.arrayContaining([first, second]));
      const own = await as(admin.token).get('/organisations').expect(200);
      expect(own.body.items.map((item: { id: string }) => item.id)).toEqual([first]);

      await as(admin.token).get(`/organisations/${first}`).expect(200);
      const hidden = await as(admin.token).get(`/organisations/${second}`).expect(404);
      const missing = await as(coordinator).get(`/organisations/${randomUUID()}`).expect(404);
      expect(hidden.body.error).toBe(missing.body.error);
      await as(admin.token).post('/organisations', { name: 'x', short_name: 'xx', country: 'UY' }).expect(403);
      await as(admin.token)
        .patch(`/organisations/${first}/status`, { status: 'suspended', reason: 'a test' })
        .expect(403);
    });
  });

  describe('onboarding an organisation', () => {
    let organisationId: string;
    let orgAdmin: { userId: string; token: string };
    let analyst: string;
    let reporterKey: { id: string; secret: string };

    it('invites an org-admin whose one-time invitation sets their password', async () => {
      organisationId = await createOrganisation({ name: 'CERT.br', short_name: 'cert-br', country: 'BR' });
      const invited = await as(coordinator)
        .post(`/organisations/${organisationId}/users`, {
          email: ' Admin@Cert.BR ',
          display_name: 'Ana Admin',
          role: 'org-admin',
        })
        .expect(201);
      expect(invited.body).toMatchObject({
        organisation_id: organisationId,
        email: 'admin@cert.br',
        role: 'org-admin',
        status: 'invited',
        invitation: {
          token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
          link_path: `/invitations/accept?token=${invited.body.invitation.token}`,
          expires_at: expect.any(String),
        },
      });
      const expiresInDays = (Date.parse(invited.body.invitation.expires_at) - Date.now()) / 86_400_000;
      expect(expiresInDays).toBeGreaterThan(6.9);
      expect(expiresInDays).toBeLessThanOrEqual(7);
      const token = invited.body.invitation.token as string;
      const stored = await context.dataSource
        .getRepository(InvitationEntity)
        .findOneByOrFail({ userId: invited.body.id });
      expect(stored.tokenHash).toBe(hashInvitationToken(token));
      expect(JSON.stringify(stored)).not.toContain(token);

      // The account cannot be invited twice.
      await as(coordinator)
        .post(`/organisations/${organisationId}/users`, { email: 'admin@cert.br', display_name: 'A', role: 'analyst' })
        .expect(409);

      const accept = (body: object) => request(portal.getHttpServer()).post('/api/v1/invitations/accept').send(body);
      const short = await accept({ token, password: 'too short' }).expect(400);
      expect(short.body.details.map((detail: { path: string }) => detail.path)).toEqual(['password']);
      await accept({ token: 'x'.repeat(43), password: 'a long enough password' }).expect(400);
      await accept({ token, password: 'a long enough password' }).expect(204);
      await accept({ token, password: 'another long password' }).expect(400);

      const user = await context.dataSource.getRepository(UserEntity).findOneByOrFail({ id: invited.body.id });
      await expect(verifyPassword('a long enough password', user.passwordHash!)).resolves.toBe(true);
      orgAdmin = { userId: user.id, token: await accessTokenFor(portal, user.id) };
      const listed = await as(orgAdmin.token).get(`/organisations/${organisationId}/users`).expect(200);
      expect(listed.body.items).toEqual([expect.objectContaining({ id: user.id, status: 'active' })]);
      expect(JSON.stringify(listed.body)).not.toMatch(/password|scrypt/);
    });

    it('lets the org-admin invite an analyst but no coordinator', async () => {
      const created = await as(orgAdmin.token)
        .post(`/organisations/${organisationId}/users`, {
          email: 'analyst@cert.br',
          display_name: 'Alex',
          role: 'analyst',
        })
        .expect(201);
      expect(created.body).toMatchObject({ role: 'analyst', status: 'invited' });
      analyst = await accessTokenFor(portal, created.body.id);
      await as(orgAdmin.token)
        .post(`/organisations/${organisationId}/users`, { email: 'c@cert.br', display_name: 'C', role: 'coordinator' })
        .expect(403);
      // Not even a coordinator makes coordinators outside the coordinating organisation.
      await as(coordinator)
        .post(`/organisations/${organisationId}/users`, { email: 'c@cert.br', display_name: 'C', role: 'coordinator' })
        .expect(400);
      const bad = await as(orgAdmin.token)
        .post(`/organisations/${organisationId}/users`, { email: 'nope', display_name: '', role: 'root' })
        .expect(400);
      expect(bad.body.details.map((detail: { path: string }) => detail.path).sort()).toEqual([
        'display_name',
        'email',
        'role',
      ]);
    });

    it('creates an API key with reports:write whose secret is shown once and which ingest accepts', async () => {
      const created = await as(orgAdmin.token)
        .post(`/organisations/${organisationId}/api-keys`, { name: 'SIEM', scopes: ['reports:write'] })
        .expect(201);
      expect(created.body).toEqual({
        id: expect.any(String),
        name: 'SIEM',
        prefix: created.body.secret.slice(0, 12),
        scopes: ['reports:write'],
        secret: expect.stringMatching(/^vigia_/),
        created_at: expect.any(String),
        last_used_at: null,
        expires_at: null,
        revoked_at: null,
      });
      reporterKey = { id: created.body.id, secret: created.body.secret };
      await submitReport(reporterKey.secret).expect(202);

      const listed = await as(orgAdmin.token).get(`/organisations/${organisationId}/api-keys`).expect(200);
      expect(listed.body.items).toEqual([
        expect.objectContaining({ id: reporterKey.id, prefix: created.body.prefix, last_used_at: expect.any(String) }),
      ]);
      expect(JSON.stringify(listed.body)).not.toContain(reporterKey.secret);
      expect(listed.body.items[0]).not.toHaveProperty('secret');
    });

    it('refuses unknown scopes and past expiry with every problem', async () => {
      const bad = await as(orgAdmin.token)
        .post(`/organisations/${organisationId}/api-keys`, {
          name: '',
          scopes: ['reports:write', 'admin:everything'],
          expires_at: '2001-01-01T00:00:00Z',
        })
        .expect(400);
      expect(bad.body.details.map((detail: { path: string }) => detail.path).sort()).toEqual([
        'expires_at',
        'name',
        'scopes',
      ]);
    });

    it('a key without the scope is 403 at ingest; a revoked key is 401 at once', async () => {
      const reader = await as(orgAdmin.token)
        .post(`/organisations/${organisationId}/api-keys`, {
          name: 'reader',
          scopes: ['indicators:read'],
          expires_at: new Date(Date.now() + 86_400_000).toISOString(),
        })
        .expect(201);
      const refused = await submitReport(reader.body.secret).expect(403);
      expect(refused.body.message).toContain('reports:write');

      await as(orgAdmin.token).delete(`/organisations/${organisationId}/api-keys/${reporterKey.id}`).expect(204);
      await submitReport(reporterKey.secret).expect(401);
      const listed = await as(orgAdmin.token).get(`/organisations/${organisationId}/api-keys`).expect(200);
      expect(listed.body.items.find((key: { id: string }) => key.id === reporterKey.id).revoked_at).toEqual(
        expect.any(String),
      );
      await as(orgAdmin.token).delete(`/organisations/${organisationId}/api-keys/${randomUUID()}`).expect(404);
    });

    it('an analyst may not create keys or users, nor list them', async () => {
      await as(analyst)
        .post(`/organisations/${organisationId}/api-keys`, { name: 'mine', scopes: ['reports:write'] })
        .expect(403);
      await as(analyst)
        .post(`/organisations/${organisationId}/users`, { email: 'x@cert.br', display_name: 'X', role: 'analyst' })
        .expect(403);
      await as(analyst).get(`/organisations/${organisationId}/users`).expect(403);
      await as(analyst).get(`/organisations/${organisationId}`).expect(200);
    });

    it('an org-admin of another organisation gets 404 on this one’s users and keys', async () => {
      const other = await onboardOrgAdmin(await createOrganisation());
      const missing = await as(other.token).get(`/organisations/${randomUUID()}/users`).expect(404);
      const users = await as(other.token).get(`/organisations/${organisationId}/users`).expect(404);
      expect(users.body.message).toBe(missing.body.message.replace(/[0-9a-f-]{36}/, organisationId));
      await as(other.token).get(`/organisations/${organisationId}/api-keys`).expect(404);
      await as(other.token)
        .post(`/organisations/${organisationId}/api-keys`, { name: 'x', scopes: ['reports:write'] })
        .expect(404);
      await as(other.token).delete(`/organisations/${organisationId}/api-keys/${reporterKey.id}`).expect(404);
      await as(other.token)
        .post(`/organisations/${organisationId}/users`, { email: 'y@cert.br', display_name: 'Y', role: 'analyst' })
        .expect(404);
      await as(other.token)
        .patch(`/organisations/${organisationId}/users/${orgAdmin.userId}`, { disabled: true })
        .expect(404);
    });

    it('keeps an org-admin from disabling themselves or removing the last org-admin', async () => {
      const self = `/organisations/${organisationId}/users/${orgAdmin.userId}`;
      await as(orgAdmin.token).patch(self, { disabled: true }).expect(409);
      await as(orgAdmin.token).patch(self, { role: 'analyst' }).expect(409);

      const second = await as(coordinator)
        .post(`/organisations/${organisationId}/users`, {
          email: 'second@cert.br',
          display_name: 'B',
          role: 'org-admin',
        })
        .expect(201);
      const secondPath = `/organisations/${organisationId}/users/${second.body.id}`;
      await as(orgAdmin.token).patch(secondPath, { disabled: true }).expect(200);
      // The disabled one no longer counts: the remaining org-admin stays.
      await as(orgAdmin.token).patch(self, { role: 'analyst' }).expect(409);
      const enabled = await as(orgAdmin.token).patch(secondPath, { disabled: false, role: 'analyst' }).expect(200);
      expect(enabled.body).toMatchObject({ role: 'analyst', status: 'invited' });
      await as(orgAdmin.token).patch(secondPath, { role: 'coordinator' }).expect(403);
    });

    it('a disabled person is refused at once', async () => {
      const person = await createPerson(portal, organisationId, UserRole.Analyst);
      await as(person.token).get(`/organisations/${organisationId}`).expect(200);
      await as(orgAdmin.token)
        .patch(`/organisations/${organisationId}/users/${person.user.id}`, { disabled: true })
        .expect(200);
      await as(person.token).get(`/organisations/${organisationId}`).expect(401);
    });

    it('a suspended organisation’s key is 403 at ingest until it is active again', async () => {
      const key = await as(coordinator)
        .post(`/organisations/${organisationId}/api-keys`, { name: 'by coordinator', scopes: ['reports:write'] })
        .expect(201);
      await submitReport(key.body.secret).expect(202);
      await as(coordinator)
        .patch(`/organisations/${organisationId}/status`, { status: 'banned', reason: 'a test' })
        .expect(400);
      const unexplained = await as(coordinator)
        .patch(`/organisations/${organisationId}/status`, { status: 'suspended', reason: '  ' })
        .expect(400);
      expect(new Set(unexplained.body.details.map((detail: { path: string }) => detail.path))).toEqual(
        new Set(['reason']),
      );
      const suspended = await as(coordinator)
        .patch(`/organisations/${organisationId}/status`, { status: 'suspended', reason: 'Leaked key' })
        .expect(200);
      expect(suspended.body).toMatchObject({ status: 'suspended', status_reason: 'Leaked key' });
      expect(Date.parse(suspended.body.status_changed_at)).not.toBeNaN();
      await submitReport(key.body.secret).expect(403);
      await as(orgAdmin.token).get(`/organisations/${organisationId}/api-keys`).expect(401);
      await as(coordinator)
        .patch(`/organisations/${organisationId}/status`, { status: 'active', reason: 'Key rotated' })
        .expect(200);
      await submitReport(key.body.secret).expect(202);
    });
  });
});
