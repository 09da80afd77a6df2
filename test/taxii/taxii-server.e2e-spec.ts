import { randomUUID } from 'node:crypto';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Scope } from '@vigia/auth';
import { ApiKeyEntity, IncidentReportEntity, OrganisationStatus, UserRole } from '@vigia/database';
import { TlpLevel } from '@vigia/indicators';
import { StixValidator } from '@vigia/stix';
import request from 'supertest';
import { createOrganisationWithApiKey } from '../../scripts/lib/organisation.factory';
import { insertStixVersions } from '../../scripts/lib/stix-object.factory';
import { waitFor } from '../../scripts/lib/wait-for';
import { createPerson } from '../support/access-token';
import { bootPortalApp } from '../support/portal-app';
import { TestContext, createTestContext } from '../support/test-context';
import { bootWorkerApp } from '../support/worker-app';

const TAXII = 'application/taxii+json;version=2.1';
const ROOT = '/taxii2/vigia';
const NETWORK = '1e115dc4-0812-42be-9ebf-fa6077962998';
const MINE = 'dcb56934-30de-499b-95fa-6e9a26db4201';
const INBOX = '9dc07f44-eefc-4281-9234-e070ce686cf1';

type Org = 'a' | 'b' | 'c';

/** TAXII 2.1 on the real portal and worker: every endpoint, filter and error, and who sees what. */
describe('TAXII 2.1 server', () => {
  let context: TestContext;
  let portal: NestExpressApplication;
  let worker: NestExpressApplication;
  const keys = {} as Record<Org, string>;
  const orgIds = {} as Record<Org, string>;
  let readOnlyKey: string;
  let noScopeKey: string;
  let suspendedKey: string;
  let keyAId: string;
  let keyAPrefix: string;
  /** Seeded objects by name. */
  const ids: Record<string, string> = {};

  const get = (path: string, key: string = keys.a) =>
    request(portal.getHttpServer()).get(path).set('Accept', TAXII).set('X-Api-Key', key);
  const idsOf = (body: { objects?: { id: string }[] }): string[] =>
    (body.objects ?? []).map((object) => object.id).sort();

  beforeAll(async () => {
    context = await createTestContext();
    [portal, worker] = await Promise.all([bootPortalApp(context.config), bootWorkerApp(context.config)]);
    for (const org of ['a', 'b', 'c'] as Org[]) {
      const { organisation, apiKey } = await createOrganisationWithApiKey(context.dataSource);
      keys[org] = apiKey;
      orgIds[org] = organisation.id;
    }
    readOnlyKey = (await createOrganisationWithApiKey(context.dataSource, {}, [Scope.TaxiiRead])).apiKey;
    noScopeKey = (await createOrganisationWithApiKey(context.dataSource, {}, [Scope.ReportsWrite])).apiKey;
    suspendedKey = (await createOrganisationWithApiKey(context.dataSource, { status: OrganisationStatus.Suspended }))
      .apiKey;
    const keyA = await context.dataSource.getRepository(ApiKeyEntity).findOneByOrFail({ organisationId: orgIds.a });
    keyAId = keyA.id;
    keyAPrefix = keyA.prefix;

    const { a, b, c } = orgIds;
    const [greenA, strictA, redAtoB, redA, amberBtoC, malwareC] = await insertStixVersions(context.dataSource, [
      { ownerId: a, tlp: TlpLevel.Green, indicatorType: 'ipv4', indicatorValue: '203.0.113.5', confidence: 80 },
      { ownerId: a, tlp: TlpLevel.AmberStrict },
      { ownerId: a, tlp: TlpLevel.Red, recipients: [b] },
      { ownerId: a, tlp: TlpLevel.Red },
      { ownerId: b, tlp: TlpLevel.Amber, recipients: [c], indicatorType: 'ipv4', indicatorValue: '203.0.113.9' },
      { ownerId: c, type: 'malware', extra: { is_family: false } },
    ]);
    Object.assign(ids, { greenA, strictA, redAtoB, redA, amberBtoC, malwareC });
    // Two versions of one object, added at different times.
    const versioned = `indicator--${randomUUID()}`;
    await insertStixVersions(context.dataSource, [
      { id: versioned, ownerId: a, modified: '2025-01-01T00:00:00.000Z', isLatest: false },
    ]);
    await insertStixVersions(context.dataSource, [{ id: versioned, ownerId: a, modified: '2025-02-01T00:00:00.000Z' }]);
    ids.versioned = versioned;
  });

  afterAll(async () => {
    await Promise.all([portal?.close(), worker?.close()]);
    await context?.cleanup();
  });

  describe('discovery, API root and collections', () => {
    it('answers discovery with the API root, in the TAXII media type', async () => {
      const response = await get('/taxii2/').expect(200);
      expect(response.headers['content-type']).toBe(TAXII);
      expect(response.body).toMatchObject({
        title: expect.any(String),
        default: expect.stringMatching(/\/taxii2\/vigia\/$/),
      });
      expect(response.body.api_roots).toEqual([response.body.default]);
    });

    it('answers the API root with the version and max_content_length', async () => {
      const response = await get(`${ROOT}/`).expect(200);
      expect(response.body).toMatchObject({ versions: [TAXII], max_content_length: 10 * 1024 * 1024 });
      await get('/taxii2/other/').expect(404);
    });

    it('lists network, mine, inbox and one collection per subscription, with can_read / can_write by scope', async () => {
      const subscription = await request(portal.getHttpServer())
        .post('/api/v1/subscriptions')
        .set('X-Api-Key', keys.c)
        .send({
          name: 'ipv4 confident',
          filters: { indicator_types: ['ipv4'], min_confidence: 50 },
          channels: [{ type: 'stream' }],
        })
        .expect(201);
      ids.subscriptionC = subscription.body.id as string;
      const own = await get(`${ROOT}/collections/`, keys.c).expect(200);
      const byAlias = Object.fromEntries(
        (own.body.collections as { id: string; alias?: string }[]).map((collection) => [
          collection.alias ?? collection.id,
          collection,
        ]),
      );
      expect(byAlias.network).toMatchObject({ id: NETWORK, can_read: true, can_write: false });
      expect(byAlias.mine).toMatchObject({ id: MINE, can_read: true, can_write: true });
      expect(byAlias.inbox).toMatchObject({ id: INBOX, can_read: false, can_write: true });
      expect(byAlias[ids.subscriptionC]).toMatchObject({
        can_read: true,
        can_write: false,
        media_types: ['application/stix+json;version=2.1'],
      });
      // Another member does not see C's subscription, as a collection or by id.
      const others = await get(`${ROOT}/collections/`, keys.a).expect(200);
      expect(others.body.collections).toHaveLength(3);
      await get(`${ROOT}/collections/${ids.subscriptionC}/`, keys.a).expect(404);
      await get(`${ROOT}/collections/${randomUUID()}/`).expect(404);
      const readOnly = await get(`${ROOT}/collections/${INBOX}/`, readOnlyKey).expect(200);
      expect(readOnly.body).toMatchObject({ can_read: false, can_write: false });
      const byAliasUrl = await get(`${ROOT}/collections/network/`).expect(200);
      expect(byAliasUrl.body.id).toBe(NETWORK);
    });
  });

  describe('authentication and errors', () => {
    const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    const withAuthorization = (value: string) =>
      request(portal.getHttpServer()).get(`${ROOT}/collections/`).set('Accept', TAXII).set('Authorization', value);

    it('answers 401 with WWW-Authenticate and a TAXII error body, never a redirect', async () => {
      const response = await request(portal.getHttpServer())
        .get(`${ROOT}/collections/`)
        .set('Accept', TAXII)
        .expect(401);
      expect(response.headers['www-authenticate']).toMatch(/^Basic realm="Vigia TAXII"/);
      expect(response.headers['content-type']).toBe(TAXII);
      expect(JSON.parse(response.text)).toMatchObject({
        title: expect.any(String),
        description: expect.any(String),
        http_status: '401',
        error_code: 'UNAUTHENTICATED',
      });
      await withAuthorization(basic(keyAId, 'vigia_wrong')).expect(401);
    });

    it('accepts the key by Basic (key id or prefix as user), Bearer, X-Api-Key and bare after Basic', async () => {
      await withAuthorization(basic(keyAId, keys.a)).expect(200);
      await withAuthorization(basic(keyAPrefix, keys.a)).expect(200);
      await withAuthorization(basic('', keys.a)).expect(200);
      await withAuthorization(basic(keys.a, '')).expect(200);
      await withAuthorization(`Bearer ${keys.a}`).expect(200);
      await withAuthorization(`Basic ${keys.a}`).expect(200);
      await get(`${ROOT}/collections/`).expect(200);
      // A user name that names another key is refused.
      await withAuthorization(basic(randomUUID(), keys.a)).expect(401);
      // Basic is only for TAXII: the rest of the API does not take it.
      await request(portal.getHttpServer())
        .get('/api/v1/subscriptions')
        .set('Authorization', `Basic ${keys.a}`)
        .expect(401);
    });

    it('lets people in with their access token', async () => {
      const person = await createPerson(portal, orgIds.a, UserRole.Analyst);
      await withAuthorization(person.authorization).expect(200);
    });

    it('refuses keys without TAXII scopes and suspended organisations with 403', async () => {
      const noScope = await get(`${ROOT}/collections/`, noScopeKey).expect(403);
      expect(JSON.parse(noScope.text)).toMatchObject({ http_status: '403' });
      await get('/taxii2/', noScopeKey).expect(403);
      await get(`${ROOT}/collections/${NETWORK}/objects/`, noScopeKey).expect(403);
      await get(`${ROOT}/collections/${NETWORK}/objects/`, suspendedKey).expect(403);
      // taxii:read only: reads, but cannot add.
      await get(`${ROOT}/collections/${NETWORK}/objects/`, readOnlyKey).expect(200);
      await request(portal.getHttpServer())
        .post(`${ROOT}/collections/${INBOX}/objects/`)
        .set('Accept', TAXII)
        .set('Content-Type', TAXII)
        .set('X-Api-Key', readOnlyKey)
        .send(JSON.stringify({ objects: [] }))
        .expect(403);
    });

    it('answers 406 for an Accept it cannot meet and takes TAXII without version or wildcards', async () => {
      for (const accept of [
        'application/xml',
        'application/taxii+json;version=2.0',
        'application/json',
        'application/taxii+json;q=0',
      ]) {
        const response = await request(portal.getHttpServer())
          .get(`${ROOT}/collections/`)
          .set('Accept', accept)
          .set('X-Api-Key', keys.a)
          .expect(406);
        expect(JSON.parse(response.text)).toMatchObject({ http_status: '406' });
      }
      for (const accept of [
        'application/taxii+json',
        '*/*',
        'application/xml, application/taxii+json;version=2.1;q=0.5',
      ]) {
        await request(portal.getHttpServer())
          .get(`${ROOT}/collections/`)
          .set('Accept', accept)
          .set('X-Api-Key', keys.a)
          .expect(200);
      }
    });

    it('answers 415 for a wrong Content-Type and 413 over max_content_length', async () => {
      const post = (contentType: string, body: string | Buffer) =>
        request(portal.getHttpServer())
          .post(`${ROOT}/collections/${INBOX}/objects/`)
          .set('Accept', TAXII)
          .set('Content-Type', contentType)
          .set('X-Api-Key', keys.a)
          .send(body);
      const unsupported = await post('application/json', '{"objects":[]}').expect(415);
      expect(JSON.parse(unsupported.text)).toMatchObject({ http_status: '415' });
      await post('text/plain', 'x').expect(415);
      const tooLarge = await post(TAXII, Buffer.alloc(10 * 1024 * 1024 + 1, 32)).expect(413);
      expect(JSON.parse(tooLarge.text)).toMatchObject({ http_status: '413' });
      await post(TAXII, '{not json').expect(400);
      await post(TAXII, '{"objects":[]}').expect(400);
      // Hostile envelopes are refused whole, before anything is stored.
      const reportsBefore = await context.dataSource.getRepository(IncidentReportEntity).count();
      const nul = await post(TAXII, JSON.stringify({ objects: [{ type: 'note', content: 'a\u0000b' }] })).expect(400);
      expect(nul.text).toMatch(/NUL/);
      const deep = await post(TAXII, `{"objects":[${'['.repeat(10_000)}${']'.repeat(10_000)}]}`).expect(400);
      expect(deep.text).toMatch(/nested deeper/);
      await post(TAXII, '{"objects":[{"type":"note","type":"indicator"}]}').expect(400);
      expect(await context.dataSource.getRepository(IncidentReportEntity).count()).toBe(reportsBefore);
      // Writing to a read-only collection.
      await request(portal.getHttpServer())
        .post(`${ROOT}/collections/${NETWORK}/objects/`)
        .set('Accept', TAXII)
        .set('Content-Type', TAXII)
        .set('X-Api-Key', keys.a)
        .send(JSON.stringify({ objects: [{ type: 'x' }] }))
        .expect(403);
    });

    it('answers 403 reading the write-only inbox and 404 for unknown collections, objects and statuses', async () => {
      await get(`${ROOT}/collections/${INBOX}/objects/`).expect(403);
      await get(`${ROOT}/collections/${INBOX}/manifest/`).expect(403);
      await get(`${ROOT}/collections/${randomUUID()}/objects/`).expect(404);
      await get(`${ROOT}/collections/not-a-collection/manifest/`).expect(404);
      await get(`${ROOT}/collections/${NETWORK}/objects/indicator--${randomUUID()}/`).expect(404);
      await get(`${ROOT}/status/${randomUUID()}/`).expect(404);
      await get(`${ROOT}/status/not-a-uuid/`).expect(404);
    });

    it('answers 400 with the reasons for bad filters', async () => {
      const objects = `${ROOT}/collections/${NETWORK}/objects/`;
      for (const query of [
        'limit=0',
        'limit=abc',
        'added_after=yesterday',
        'added_after=2025-01-01T00:00:00+01:00',
        'match[type]=Not_A_Type',
        'match[id]=nonsense',
        'match[version]=latest',
        'match[spec_version]=two',
        'next=forged.cursor',
      ]) {
        const response = await get(`${objects}?${query}`).expect(400);
        expect(JSON.parse(response.text)).toMatchObject({ http_status: '400', description: expect.any(String) });
      }
    });
  });

  describe('who sees what (TLP and audience) across collections and callers', () => {
    const network = (org: Org) => get(`${ROOT}/collections/${NETWORK}/objects/`, keys[org]).expect(200);

    it('network holds exactly what each member may see', async () => {
      const seeded = new Set(Object.values(ids));
      const seen = async (org: Org) => idsOf((await network(org)).body).filter((id) => seeded.has(id));
      const { greenA, strictA, redAtoB, redA, amberBtoC, malwareC, versioned } = ids;
      expect(await seen('a')).toEqual([greenA, strictA, redAtoB, redA, malwareC, versioned].sort());
      expect(await seen('b')).toEqual([greenA, strictA, redAtoB, amberBtoC, malwareC, versioned].sort());
      expect(await seen('c')).toEqual([greenA, strictA, amberBtoC, malwareC, versioned].sort());
    });

    it('audits reads of AMBER+STRICT and RED objects, which objects but not their content', async () => {
      const [event] = (await context.dataSource.query(
        `SELECT details FROM audit_events WHERE organisation_id = $1 AND action = 'object.read'
          ORDER BY id DESC LIMIT 1`,
        [orgIds.b],
      )) as { details: { via: string; ids: string[]; tlp: string[] } }[];
      expect(event?.details).toMatchObject({ via: 'taxii', tlp: expect.arrayContaining(['red', 'amber+strict']) });
      expect([...event!.details.ids].sort()).toEqual([ids.strictA, ids.redAtoB].sort());
    });

    it('mine holds what the member wrote, and a subscription collection what its filters select', async () => {
      const mine = await get(`${ROOT}/collections/mine/objects/`, keys.b).expect(200);
      expect(idsOf(mine.body)).toEqual([ids.amberBtoC]);
      const subscription = await get(`${ROOT}/collections/${ids.subscriptionC}/objects/`, keys.c).expect(200);
      // ipv4 with confidence >= 50: A's GREEN one; B's AMBER one to C has no confidence.
      expect(idsOf(subscription.body)).toEqual([ids.greenA]);
    });

    it("a subscription's constituency and its own-reports setting shape its collection", async () => {
      const created = await request(portal.getHttpServer())
        .post('/api/v1/subscriptions')
        .set('X-Api-Key', keys.c)
        .send({
          name: 'our network',
          filters: { constituency: { cidrs: ['203.0.113.8/29'] } },
          channels: [{ type: 'stream' }],
        })
        .expect(201);
      const inside = await get(`${ROOT}/collections/${created.body.id}/objects/`, keys.c).expect(200);
      // 203.0.113.9 (B's AMBER to C) is inside; 203.0.113.5 (A's GREEN) is not.
      expect(idsOf(inside.body)).toEqual([ids.amberBtoC]);
      const everything = await request(portal.getHttpServer())
        .post('/api/v1/subscriptions')
        .set('X-Api-Key', keys.b)
        .send({ name: 'all values', filters: {}, channels: [{ type: 'stream' }] })
        .expect(201);
      // B's own report is left out unless the subscription includes its own reports.
      const values = await get(`${ROOT}/collections/${everything.body.id}/objects/`, keys.b).expect(200);
      expect(idsOf(values.body)).toEqual([ids.greenA]);
    });

    it('an object the caller may not see is answered exactly like one that does not exist', async () => {
      const hidden = await get(`${ROOT}/collections/${NETWORK}/objects/${ids.redAtoB}/`, keys.c).expect(404);
      const missing = await get(`${ROOT}/collections/${NETWORK}/objects/indicator--${randomUUID()}/`, keys.c).expect(
        404,
      );
      expect(JSON.parse(hidden.text).title).toBe(JSON.parse(missing.text).title);
      await get(`${ROOT}/collections/${NETWORK}/objects/${ids.redAtoB}/versions/`, keys.c).expect(404);
      await get(`${ROOT}/collections/${NETWORK}/objects/${ids.redAtoB}/`, keys.b).expect(200);
      const manifest = await get(`${ROOT}/collections/${NETWORK}/manifest/?match[id]=${ids.redA}`, keys.b).expect(200);
      expect(manifest.body).toEqual({});
    });
  });

  describe('objects, manifest, versions and their filters', () => {
    const objects = `${ROOT}/collections/${NETWORK}/objects/`;

    it('serves the stored objects with date_added headers, and filters by type, id and spec_version', async () => {
      const all = await get(objects).expect(200);
      expect(all.headers['x-taxii-date-added-first']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
      expect(all.headers['x-taxii-date-added-last']).toMatch(/Z$/);
      expect(all.body.more).toBe(false);
      const validator = new StixValidator();
      for (const object of all.body.objects) expect(validator.validate(object).errors).toEqual([]);
      const malware = await get(`${objects}?match[type]=malware`).expect(200);
      expect(idsOf(malware.body)).toEqual([ids.malwareC]);
      const two = await get(`${objects}?match[id]=${ids.greenA},${ids.malwareC}`).expect(200);
      expect(idsOf(two.body)).toEqual([ids.greenA, ids.malwareC].sort());
      const repeated = await get(`${objects}?match[id]=${ids.greenA}&match[id]=${ids.malwareC}`).expect(200);
      expect(idsOf(repeated.body)).toEqual(idsOf(two.body));
      expect((await get(`${objects}?match[spec_version]=2.0`).expect(200)).body).toEqual({});
      expect(idsOf((await get(`${objects}?match[spec_version]=2.0,2.1&match[type]=malware`).expect(200)).body)).toEqual(
        [ids.malwareC],
      );
    });

    it('match[version]: last by default, first, all and a timestamp', async () => {
      const versionsOf = async (query: string) =>
        (
          (await get(`${objects}?match[id]=${ids.versioned}${query}`).expect(200)).body.objects as {
            modified: string;
          }[]
        ).map((object) => object.modified);
      expect(await versionsOf('')).toEqual(['2025-02-01T00:00:00.000Z']);
      expect(await versionsOf('&match[version]=last')).toEqual(['2025-02-01T00:00:00.000Z']);
      expect(await versionsOf('&match[version]=first')).toEqual(['2025-01-01T00:00:00.000Z']);
      expect(await versionsOf('&match[version]=all')).toEqual(['2025-01-01T00:00:00.000Z', '2025-02-01T00:00:00.000Z']);
      expect(await versionsOf('&match[version]=2025-01-01T00:00:00.000Z')).toEqual(['2025-01-01T00:00:00.000Z']);
      expect(await versionsOf('&match[version]=first,last')).toEqual([
        '2025-01-01T00:00:00.000Z',
        '2025-02-01T00:00:00.000Z',
      ]);
    });

    it('object by id, its versions and the manifest', async () => {
      const one = await get(`${objects}${ids.versioned}/`).expect(200);
      expect(one.body.objects).toHaveLength(1);
      expect(one.body.objects[0].modified).toBe('2025-02-01T00:00:00.000Z');
      const allOfIt = await get(`${objects}${ids.versioned}/?match[version]=all`).expect(200);
      expect(allOfIt.body.objects).toHaveLength(2);
      const versions = await get(`${objects}${ids.versioned}/versions/`).expect(200);
      expect(versions.body).toEqual({
        more: false,
        versions: ['2025-01-01T00:00:00.000Z', '2025-02-01T00:00:00.000Z'],
      });
      expect(versions.headers['x-taxii-date-added-first']).toBeDefined();
      const paged = await get(`${objects}${ids.versioned}/versions/?limit=1`).expect(200);
      expect(paged.body).toMatchObject({
        more: true,
        versions: ['2025-01-01T00:00:00.000Z'],
        next: expect.any(String),
      });
      const rest = await get(`${objects}${ids.versioned}/versions/?limit=1&next=${paged.body.next}`).expect(200);
      expect(rest.body).toEqual({ more: false, versions: ['2025-02-01T00:00:00.000Z'] });
      const manifest = await get(
        `${ROOT}/collections/${NETWORK}/manifest/?match[id]=${ids.versioned}&match[version]=all`,
      ).expect(200);
      expect(manifest.body.objects).toEqual([
        {
          id: ids.versioned,
          date_added: expect.any(String),
          version: '2025-01-01T00:00:00.000Z',
          media_type: 'application/stix+json;version=2.1',
        },
        {
          id: ids.versioned,
          date_added: expect.any(String),
          version: '2025-02-01T00:00:00.000Z',
          media_type: 'application/stix+json;version=2.1',
        },
      ]);
    });

    it('pages with limit, more and next, and added_after', async () => {
      const first = await get(`${objects}?limit=2`).expect(200);
      expect(first.body).toMatchObject({ more: true, next: expect.any(String) });
      expect(first.body.objects).toHaveLength(2);
      const seen = idsOf(first.body);
      let next: string | undefined = first.body.next;
      while (next) {
        const page = await get(`${objects}?limit=2&next=${encodeURIComponent(next)}`).expect(200);
        seen.push(...idsOf(page.body));
        next = page.body.next;
      }
      const all = idsOf((await get(objects).expect(200)).body);
      expect(seen.sort()).toEqual(all);
      const after = await get(`${objects}?added_after=${first.headers['x-taxii-date-added-last']}`).expect(200);
      expect(idsOf(after.body).some((id) => idsOf(first.body).includes(id))).toBe(false);
      // A cursor belongs to its query: used with other filters it is refused.
      const refused = await get(
        `${objects}?limit=2&match[type]=indicator&next=${encodeURIComponent(first.body.next)}`,
      ).expect(400);
      expect(JSON.parse(refused.text).description).toMatch(/another query/);
      await get(`${ROOT}/collections/${MINE}/objects/?limit=2&next=${encodeURIComponent(first.body.next)}`).expect(400);
      // Another caller cannot use it either.
      await get(`${objects}?limit=2&next=${encodeURIComponent(first.body.next)}`, keys.b).expect(400);
    });
  });

  describe('deleting', () => {
    it('lets the owner delete its versions from "mine"; the previous version becomes the latest', async () => {
      const objects = `${ROOT}/collections/${MINE}/objects/`;
      const del = (path: string, key: string) =>
        request(portal.getHttpServer()).delete(path).set('Accept', TAXII).set('X-Api-Key', key);
      await del(`${objects}${ids.versioned}/`, keys.b).expect(403);
      await del(`${ROOT}/collections/${NETWORK}/objects/${ids.versioned}/`, keys.a).expect(403);
      await del(`${objects}indicator--${randomUUID()}/`, keys.a).expect(404);
      await del(`${objects}${ids.versioned}/?match[version]=2025-02-01T00:00:00.000Z`, keys.a).expect(200);
      const now = await get(`${ROOT}/collections/${NETWORK}/objects/${ids.versioned}/`).expect(200);
      expect(now.body.objects.map((object: { modified: string }) => object.modified)).toEqual([
        '2025-01-01T00:00:00.000Z',
      ]);
      await del(`${objects}${ids.versioned}/`, keys.a).expect(200);
      await get(`${ROOT}/collections/${NETWORK}/objects/${ids.versioned}/`).expect(404);
      const events = (await context.dataSource.query(
        `SELECT target_id, details FROM audit_events WHERE organisation_id = $1 AND action = 'object.versions_deleted'
          ORDER BY id`,
        [orgIds.a],
      )) as { target_id: string; details: { versions_deleted: number } }[];
      expect(events.map((event) => [event.target_id, event.details.versions_deleted])).toEqual([
        [ids.versioned, 1],
        [ids.versioned, 1],
      ]);
    });
  });

  describe('adding objects', () => {
    it('answers 202 with a status, goes through the report intake and reaches complete', async () => {
      const indicatorId = `indicator--${randomUUID()}`;
      const malwareId = `malware--${randomUUID()}`;
      const now = new Date().toISOString();
      const envelope = {
        objects: [
          {
            type: 'indicator',
            spec_version: '2.1',
            id: indicatorId,
            created: now,
            modified: now,
            pattern: "[domain-name:value = 'taxii-added.example']",
            pattern_type: 'stix',
            valid_from: now,
            object_marking_refs: ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb'],
          },
          { type: 'malware', spec_version: '2.1', id: malwareId, created: now, modified: now, is_family: false },
          { type: 'indicator', spec_version: '2.1', id: `indicator--${randomUUID()}`, created: now },
        ],
      };
      const added = await request(portal.getHttpServer())
        .post(`${ROOT}/collections/${INBOX}/objects/`)
        .set('Accept', TAXII)
        .set('Content-Type', TAXII)
        .set('X-Api-Key', keys.c)
        .send(JSON.stringify(envelope))
        .expect(202);
      expect(added.headers['content-type']).toBe(TAXII);
      expect(added.body).toMatchObject({ status: 'pending', total_count: 3, failure_count: 1, pending_count: 2 });
      expect(added.body.failures[0].message).toMatch(/modified|pattern/);
      await get(`${ROOT}/status/${added.body.id}/`, keys.a).expect(404);
      const done = await waitFor('the status to complete', async () => {
        const status = await get(`${ROOT}/status/${added.body.id}/`, keys.c).expect(200);
        return status.body.status === 'complete' ? status.body : undefined;
      });
      expect(done).toMatchObject({ total_count: 3, success_count: 2, failure_count: 1, pending_count: 0 });
      expect(done.successes.map((success: { id: string }) => success.id).sort()).toEqual(
        [indicatorId, malwareId].sort(),
      );
      // The indicator is now served (as normalisation stored it, the value's own id).
      const served = await get(`${ROOT}/collections/${MINE}/objects/?match[type]=indicator`, keys.c).expect(200);
      expect(JSON.stringify(served.body)).toContain('taxii-added.example');
    });
  });
});
