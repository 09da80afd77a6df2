import { NestExpressApplication } from '@nestjs/platform-express';
import { ApiKeyEntity, AuditEventRow, AuditRepository, NewAuditEvent, UserRole } from '@vigia/database';
import request from 'supertest';
import { createOrganisation, createOrganisationWithApiKey } from '../../scripts/lib/organisation.factory';
import { TestPerson, createPerson } from '../support/access-token';
import { bootPortalApp } from '../support/portal-app';
import { TestContext, createTestContext } from '../support/test-context';

/** An event as `audit_events` stores it (the API answers the same fields). */
type AuditEventBody = Omit<AuditEventRow, 'occurred_at'>;

/** Collects a response body as text whatever its content type (supertest buffers only text and JSON). */
const asText = (response: request.Response, done: (error: Error | null, body: string) => void): void => {
  const stream = response as unknown as NodeJS.ReadableStream; // in Node, superagent hands the parser the stream
  let text = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => (text += chunk));
  stream.on('end', () => done(null, text));
};

// A public address literal: accepted by the webhook URL policy without DNS; nothing is sent in this file.
const PUBLIC_HOOK = 'https://93.184.216.34:8443/vigia/hooks';

describe('audit log', () => {
  let context: TestContext;
  let app: NestExpressApplication;
  let events: AuditRepository;

  beforeAll(async () => {
    context = await createTestContext();
    app = await bootPortalApp(context.config);
    events = app.get(AuditRepository);
  });

  afterAll(async () => {
    await app?.close();
    await context?.cleanup();
  });

  const http = () => request(app.getHttpServer());

  /** Every event of the organisation as stored, newest first. */
  const storedEventsOf = async (organisationId: string): Promise<AuditEventBody[]> =>
    (await context.dataSource.query(
      `SELECT id::text, organisation_id, actor_user_id, actor_api_key_id, action, request_id, host(address) AS address,
              target_id, details
         FROM audit_events WHERE organisation_id = $1 ORDER BY audit_events.id DESC`,
      [organisationId],
    )) as AuditEventBody[];

  const someEvents = (organisationId: string, count: number, action = 'subscription.updated'): NewAuditEvent[] =>
    Array.from({ length: count }, (_, index) => ({ organisationId, action, details: { n: index } }));

  describe('the table', () => {
    it('is append-only: UPDATE, DELETE and TRUNCATE fail with a clear error', async () => {
      const organisation = await createOrganisation(context.dataSource);
      await events.append(...someEvents(organisation.id, 2));
      const append = /audit_events is append-only/;
      await expect(
        context.dataSource.query(`UPDATE audit_events SET action = 'x' WHERE organisation_id = $1`, [organisation.id]),
      ).rejects.toThrow(append);
      await expect(
        context.dataSource.query(`DELETE FROM audit_events WHERE organisation_id = $1`, [organisation.id]),
      ).rejects.toThrow(append);
      await expect(context.dataSource.query(`DELETE FROM audit_events WHERE false`)).rejects.toThrow(append);
      await expect(context.dataSource.query(`TRUNCATE audit_events`)).rejects.toThrow(append);
      expect(await storedEventsOf(organisation.id)).toHaveLength(2);
    });
  });

  describe('subscription changes', () => {
    it('are recorded with the API key as actor, the request id and the address, and no secrets', async () => {
      const { organisation, apiKey } = await createOrganisationWithApiKey(context.dataSource);
      const key = await context.dataSource.getRepository(ApiKeyEntity).findOneByOrFail({
        organisationId: organisation.id,
      });
      const subscriptions = (method: 'post' | 'patch' | 'delete', path: string, requestId: string) =>
        http()[method](`/api/v1/subscriptions${path}`).set('X-Api-Key', apiKey).set('X-Request-Id', requestId);

      const created = await subscriptions('post', '', 'audit-create-1')
        .send({ name: 'Watch', channels: [{ type: 'webhook', url: PUBLIC_HOOK }] })
        .expect(201);
      const id = created.body.id as string;
      const endpointId = created.body.channels[0].id as string;
      await subscriptions('patch', `/${id}`, 'audit-update-1')
        .send({ name: 'Renamed', channels: [{ type: 'stream' }] })
        .expect(200);
      const failed = await subscriptions('patch', `/${id}`, 'audit-update-2').send({ name: '' }).expect(400);
      expect(failed.body.requestId).toBe('audit-update-2');
      await subscriptions('delete', `/${id}`, 'audit-delete-1').expect(204);
      await subscriptions('delete', `/${id}`, 'audit-delete-2').expect(404);

      const stored = await storedEventsOf(organisation.id);
      expect(stored.map((event) => [event.action, event.request_id])).toEqual([
        ['subscription.deleted', 'audit-delete-1'],
        ['subscription.updated', 'audit-update-1'],
        ['subscription.created', 'audit-create-1'],
      ]);
      for (const event of stored) {
        expect(event).toMatchObject({
          organisation_id: organisation.id,
          actor_api_key_id: key.id,
          actor_user_id: null,
          target_id: id,
          address: '127.0.0.1',
        });
      }
      expect(stored[1]!.details).toEqual({
        changed: ['name', 'channels'],
        webhooks_added: [],
        webhooks_removed: [endpointId],
        emails_added: [],
        emails_removed: [],
      });
      expect(stored[2]!.details).toEqual({ name: 'Watch', stream: false, webhooks: 1, emails: 0 });
      const everything = JSON.stringify(stored);
      expect(everything).not.toContain('whsec_');
      expect(everything).not.toContain(PUBLIC_HOOK);
      expect(everything).not.toContain(apiKey);
    });

    it('records a webhook secret rotation in the same request’s name, and re-enabling a webhook', async () => {
      const { organisation, apiKey } = await createOrganisationWithApiKey(context.dataSource);
      const created = await http()
        .post('/api/v1/subscriptions')
        .set('X-Api-Key', apiKey)
        .send({ name: 'Hook', channels: [{ type: 'webhook', url: PUBLIC_HOOK }] })
        .expect(201);
      const endpointId = created.body.channels[0].id as string;
      const rotated = await http()
        .post(`/api/v1/subscriptions/${created.body.id}/webhooks/${endpointId}/rotate-secret`)
        .set('X-Api-Key', apiKey)
        .set('X-Request-Id', 'audit-rotate-1')
        .expect(200);
      const [event] = await storedEventsOf(organisation.id);
      expect(event).toMatchObject({
        action: 'webhook.secret_rotated',
        target_id: endpointId,
        request_id: 'audit-rotate-1',
        details: { subscription_id: created.body.id },
      });
      expect(JSON.stringify(event)).not.toContain(rotated.body.secret);

      // Disabled by the worker (410 Gone), enabled again by its owner: recorded; enabling an enabled one is not.
      await context.dataSource.query(
        `UPDATE webhook_endpoints SET disabled_at = now(), disabled_reason = 'receiver answered 410 Gone' WHERE id = $1`,
        [endpointId],
      );
      const enable = () =>
        http()
          .post(`/api/v1/subscriptions/${created.body.id}/webhooks/${endpointId}/enable`)
          .set('X-Api-Key', apiKey)
          .expect(200);
      await enable();
      await enable();
      const actions = (await storedEventsOf(organisation.id)).map((stored) => stored.action);
      expect(actions).toEqual(['webhook.enabled', 'webhook.secret_rotated', 'subscription.created']);
    });
  });

  describe('GET /api/v1/audit', () => {
    let adminA: TestPerson;
    let adminB: TestPerson;
    let analystA: TestPerson;
    let coordinator: TestPerson;
    let organisationA: string;
    let organisationB: string;
    let apiKeyA: string;

    beforeAll(async () => {
      const a = await createOrganisationWithApiKey(context.dataSource);
      organisationA = a.organisation.id;
      apiKeyA = a.apiKey;
      organisationB = (await createOrganisation(context.dataSource)).id;
      const network = await createOrganisation(context.dataSource);
      adminA = await createPerson(app, organisationA, UserRole.OrgAdmin);
      analystA = await createPerson(app, organisationA, UserRole.Analyst);
      adminB = await createPerson(app, organisationB, UserRole.OrgAdmin);
      coordinator = await createPerson(app, network.id, UserRole.Coordinator);
      await events.append(...someEvents(organisationA, 23), ...someEvents(organisationB, 4, 'user.invited'));
    });

    const list = (person: TestPerson, query: Record<string, string | number> = {}) =>
      http().get('/api/v1/audit').query(query).set('Authorization', person.authorization);

    it('shows an org admin only their organisation’s events, and refuses another organisation', async () => {
      const page = await list(adminA, { limit: 500 }).expect(200);
      expect(page.body.items.length).toBeGreaterThanOrEqual(23);
      expect(new Set(page.body.items.map((event: AuditEventBody) => event.organisation_id))).toEqual(
        new Set([organisationA]),
      );
      const ofB = await list(adminB, { limit: 500 }).expect(200);
      expect(ofB.body.items).toHaveLength(4);
      await list(adminA, { organisation: organisationB }).expect(403);
      await list(adminA, { organisation: organisationA, action: 'subscription.' }).expect(200);
    });

    it('shows a coordinator every organisation’s events, filtered by organisation on request', async () => {
      const all = await list(coordinator, { limit: 500 }).expect(200);
      const organisations = new Set(all.body.items.map((event: AuditEventBody) => event.organisation_id));
      expect(organisations.has(organisationA) && organisations.has(organisationB)).toBe(true);
      const ofB = await list(coordinator, { organisation: organisationB }).expect(200);
      expect(ofB.body.items.map((event: AuditEventBody) => event.action)).toEqual(Array(4).fill('user.invited'));
    });

    it('refuses analysts and API keys', async () => {
      const analyst = await list(analystA).expect(403);
      expect(analyst.body.error).toBe('FORBIDDEN');
      await http().get('/api/v1/audit').set('X-Api-Key', apiKeyA).expect(403);
      await http().get('/api/v1/audit/export').set('X-Api-Key', apiKeyA).expect(403);
      await http().get('/api/v1/audit/export').set('Authorization', analystA.authorization).expect(403);
      await http().get('/api/v1/audit').expect(401);
    });

    it('pages by cursor, newest first, returning every event once', async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await list(adminA, { limit: 7, ...(cursor ? { cursor } : {}) }).expect(200);
        expect(page.body.items.length).toBeLessThanOrEqual(7);
        seen.push(...page.body.items.map((event: AuditEventBody) => event.id));
        cursor = page.body.next_cursor ?? undefined;
        pages += 1;
      } while (cursor && pages < 100);
      const stored = (await storedEventsOf(organisationA)).map((event) => event.id);
      expect(seen).toEqual(stored);
      expect(new Set(seen).size).toBe(seen.length);
      expect(pages).toBe(Math.ceil(stored.length / 7) + (stored.length % 7 === 0 ? 1 : 0));
      await list(adminA, { cursor: 'bm90IGEgY3Vyc29y' }).expect(400);
    });

    it('filters by action prefix, actor and time', async () => {
      const subscription = await http()
        .post('/api/v1/subscriptions')
        .set('Authorization', adminA.authorization)
        .send({ name: 'By a person', channels: [{ type: 'stream' }] })
        .expect(201);
      const byActor = await list(adminA, { actor: adminA.user.id }).expect(200);
      expect(byActor.body.items).toEqual([
        expect.objectContaining({
          action: 'subscription.created',
          actor_user_id: adminA.user.id,
          actor_api_key_id: null,
          actor_organisation_id: organisationA,
          target_id: subscription.body.id,
        }),
      ]);
      const created = await list(adminA, { action: 'subscription.created' }).expect(200);
      expect(created.body.items).toHaveLength(1);
      const updates = await list(adminA, { action: 'subscription.', limit: 500 }).expect(200);
      expect(updates.body.items).toHaveLength(24);
      const future = new Date(Date.now() + 3600_000).toISOString();
      expect((await list(adminA, { from: future }).expect(200)).body.items).toEqual([]);
      expect((await list(adminA, { to: future, limit: 500 }).expect(200)).body.items).toHaveLength(24);
      await list(adminA, { from: 'yesterday' }).expect(400);
      await list(adminA, { action: "x' OR 1=1" }).expect(400);
    });
  });

  describe('GET /api/v1/audit/export', () => {
    it('streams every matching event as JSON lines, across batches, and records the export', async () => {
      const organisation = await createOrganisation(context.dataSource);
      const admin = await createPerson(app, organisation.id, UserRole.OrgAdmin);
      await events.append(...someEvents(organisation.id, 1234));
      const response = await http()
        .get('/api/v1/audit/export')
        .query({ action: 'subscription.' })
        .set('Authorization', admin.authorization)
        .set('X-Request-Id', 'audit-export-1')
        .buffer(true)
        .parse(asText)
        .expect(200);
      expect(response.headers['content-type']).toMatch(/^application\/x-ndjson/);
      const lines = (response.body as string).split('\n');
      expect(lines.pop()).toBe('');
      const exported = lines.map((line) => JSON.parse(line) as AuditEventBody);
      expect(exported).toHaveLength(1234);
      expect(new Set(exported.map((event) => event.organisation_id))).toEqual(new Set([organisation.id]));
      const ids = exported.map((event) => BigInt(event.id));
      expect(ids.every((id, index) => index === 0 || id < ids[index - 1]!)).toBe(true);

      const [recorded] = await storedEventsOf(organisation.id);
      expect(recorded).toMatchObject({
        action: 'audit.exported',
        actor_user_id: admin.user.id,
        request_id: 'audit-export-1',
        details: { filters: ['action'] },
      });
    });
  });
});
