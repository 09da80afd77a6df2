import { NestExpressApplication } from '@nestjs/platform-express';
import { IndicatorRepository } from '@vigia/database';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createOrganisationWithApiKey } from '../../scripts/lib/organisation.factory';
import { reportBody } from '../factories/report.factory';
import { bootIngestApp } from '../support/ingest-app';
import { bootPortalApp } from '../support/portal-app';
import { waitForQueuesToDrain } from '../support/queues';
import { TestContext, createTestContext } from '../support/test-context';
import { bootWorkerApp } from '../support/worker-app';

type Viewer = 'owner' | 'recipient' | 'other' | 'suspended' | 'outsider';
const VIEWERS: Viewer[] = ['owner', 'recipient', 'other', 'suspended', 'outsider'];

interface Case {
  name: string;
  tlp: string;
  /** Shared with the listed recipient (and the member suspended later) only. */
  listed: boolean;
  value: string;
}

/** Every TLP level, shared with the whole network and with a list (RED always names its recipients). */
const CASES: Case[] = [
  ...['clear', 'green', 'amber', 'amber+strict'].flatMap((tlp, index) => [
    { name: `${tlp} to the network`, tlp, listed: false, value: `net-${index}.matrix.example` },
    { name: `${tlp} to a list`, tlp, listed: true, value: `list-${index}.matrix.example` },
  ]),
  { name: 'red to a list', tlp: 'red', listed: true, value: 'red.matrix.example' },
];

/** Who may see what: the owner and listed recipient always, other members only what went to the whole network. */
const expectedVisible = (viewer: Viewer, { listed }: Case): boolean =>
  viewer === 'owner' || viewer === 'recipient' || (viewer === 'other' && !listed);

/**
 * The sharing rule over every indicator read and write: list, detail, lookup, sightings and feedback, for each level ×
 * owner / recipient / other member / suspended member / outsider. Nothing leaks: not the value, not the reporter's
 * name, not a figure.
 */
describe('indicators: the sharing rule over every route', () => {
  let context: TestContext;
  let ingest: NestExpressApplication;
  let worker: NestExpressApplication;
  let portal: NestExpressApplication;
  const keys = {} as Record<Viewer, string>;
  const orgs = {} as Record<Viewer, { id: string; name: string }>;
  const ids = new Map<string, string>();

  const portalCall = (viewer: Viewer, method: 'get' | 'post', path: string) => {
    const call = request(portal.getHttpServer())[method](path);
    return viewer === 'outsider' ? call.set('X-Api-Key', 'vigia_not_a_key') : call.set('X-Api-Key', keys[viewer]);
  };

  beforeAll(async () => {
    context = await createTestContext();
    [ingest, worker, portal] = await Promise.all([
      bootIngestApp(context.config),
      bootWorkerApp(context.config),
      bootPortalApp(context.config),
    ]);
    for (const viewer of VIEWERS) {
      const { organisation, apiKey } = await createOrganisationWithApiKey(context.dataSource);
      keys[viewer] = apiKey;
      orgs[viewer] = { id: organisation.id, name: organisation.name };
    }
    for (const { tlp, listed, value } of CASES) {
      await request(ingest.getHttpServer())
        .post('/api/v1/reports')
        .set('X-Api-Key', keys.owner)
        .send(
          reportBody({
            title: `Matrix ${value}`,
            tlp,
            ...(listed ? { tlp_recipients: [orgs.recipient.id, orgs.suspended.id] } : {}),
            indicators: [{ type: 'domain', value, confidence: 70 }],
          }),
        )
        .expect(202);
    }
    await waitForQueuesToDrain(context.config);
    const { body } = await portalCall('owner', 'get', '/api/v1/indicators?limit=100').expect(200);
    for (const item of body.items as { id: string; value: string }[]) ids.set(item.value, item.id);
    expect(ids.size).toBe(CASES.length);
    // The suspended member was a listed recipient; it is suspended now.
    await context.dataSource.query(`UPDATE organisations SET status = 'suspended' WHERE id = $1`, [orgs.suspended.id]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([ingest?.close(), worker?.close(), portal?.close()]);
    await context?.cleanup();
  });

  describe.each(VIEWERS)('%s', (viewer) => {
    const refused = viewer === 'suspended' || viewer === 'outsider';

    it('lists exactly what it may see, and names only reporters it may see', async () => {
      const answer = await portalCall(viewer, 'get', '/api/v1/indicators?domain=matrix.example&limit=100');
      if (refused) {
        expect([401, 403]).toContain(answer.status);
        expect(answer.text).not.toContain('matrix.example');
        return;
      }
      expect(answer.status).toBe(200);
      const listed = (answer.body.items as { value: string }[]).map((item) => item.value).sort();
      expect(listed).toEqual(
        CASES.filter((c) => expectedVisible(viewer, c))
          .map((c) => c.value)
          .sort(),
      );
      for (const c of CASES.filter((c) => !expectedVisible(viewer, c))) expect(answer.text).not.toContain(c.value);
    });

    it.each(CASES)('$name: detail, exact value, lookup, sighting and feedback', async (c) => {
      const id = ids.get(c.value)!;
      const visible = expectedVisible(viewer, c);
      const detail = await portalCall(viewer, 'get', `/api/v1/indicators/${id}`);
      const byValue = await portalCall(viewer, 'get', `/api/v1/indicators?value=${c.value.toUpperCase()}`);
      const lookup = await portalCall(viewer, 'post', '/api/v1/indicators/lookup').send({
        values: [c.value.replace('.matrix.', '[.]matrix[.]')],
      });
      const sighting = await portalCall(viewer, 'post', `/api/v1/indicators/${id}/sightings`).send({
        tlp: 'amber',
        where: 'elsewhere',
        tlp_recipients: [orgs.owner.id],
      });
      const feedback = await portalCall(viewer, 'post', `/api/v1/indicators/${id}/feedback`).send({
        tlp: 'amber',
        verdict: 'confirmed',
        tlp_recipients: [orgs.owner.id],
      });
      // The lookup answers the caller's own value back, canonical; nothing else may name it.
      for (const answer of [detail, byValue, sighting, feedback]) {
        if (!visible) expect(answer.text).not.toContain(c.value);
      }
      for (const answer of [detail, byValue, lookup, sighting, feedback]) {
        if (!visible && viewer === 'other') expect(answer.text).not.toContain(orgs.owner.name);
      }
      if (refused) {
        for (const answer of [detail, byValue, lookup, sighting, feedback]) expect([401, 403]).toContain(answer.status);
        return;
      }
      expect(detail.status).toBe(visible ? 200 : 404);
      expect(byValue.body.items).toHaveLength(visible ? 1 : 0);
      expect(lookup.status).toBe(200);
      expect(lookup.body.results[0]).toMatchObject({ canonical: c.value, known: visible });
      if (!visible) {
        expect(lookup.body.results[0]).toMatchObject({ score: null, org_count: 0, last_seen: null, indicators: [] });
      }
      expect(sighting.status).toBe(visible ? 201 : 404);
      expect(feedback.status).toBe(visible ? 201 : 404);
      if (visible) {
        expect(detail.body).toMatchObject({ value: c.value, tlp: c.tlp, reported_by: [orgs.owner] });
        expect(detail.body.reports.map((report: { title: string }) => report.title)).toEqual([`Matrix ${c.value}`]);
      }
    });
  });

  it('a sighting shared with the owner only is hidden from everyone else, with its organisation and figures', async () => {
    const id = ids.get('net-1.matrix.example')!; // GREEN to the network
    // Every sighting above was AMBER to the owner only: the other member sees its own, nobody else's.
    const asOther = await portalCall('other', 'get', `/api/v1/indicators/${id}`).expect(200);
    const asOwner = await portalCall('owner', 'get', `/api/v1/indicators/${id}`).expect(200);
    expect(asOwner.body.sightings.map((s: { organisation: { id: string } }) => s.organisation.id).sort()).toEqual(
      [orgs.owner.id, orgs.recipient.id, orgs.other.id].sort(),
    );
    expect(asOther.body.sightings.map((s: { organisation: { id: string } }) => s.organisation.id)).toEqual([
      orgs.other.id,
    ]);
    expect(asOther.text).not.toContain(orgs.recipient.name);
    // Figures on a network indicator count only what every member may see: none of these.
    expect(asOther.body).toMatchObject({ sighting_org_count: 0, confirmed_org_count: 0 });
    expect(asOwner.body).toMatchObject({ sighting_org_count: 0, confirmed_org_count: 0, score: asOther.body.score });
  });

  it('the SQL rule also refuses a suspended member and an organisation that does not exist', async () => {
    const repository = portal.get(IndicatorRepository);
    for (const viewerId of [orgs.suspended.id, randomUUID()]) {
      const page = await repository.search({ viewerId, filters: {}, sort: 'last_seen', limit: 100 });
      expect(page.items).toEqual([]);
      expect(await repository.findVisible(viewerId, ids.get('net-0.matrix.example')!)).toBeUndefined();
      expect(await repository.lookup(viewerId, [...ids.keys()])).toEqual([]);
    }
  });

  it('audits reads of AMBER+STRICT and RED indicators for their owner', async () => {
    const events = (await context.dataSource.query(
      `SELECT details FROM audit_events WHERE action = 'object.read' AND organisation_id = $1`,
      [orgs.owner.id],
    )) as { details: { via: string; tlp: string[] } }[];
    const levels = new Set(events.flatMap((event) => event.details.tlp));
    expect([...levels].sort()).toEqual(['amber+strict', 'red']);
    expect(new Set(events.map((event) => event.details.via))).toEqual(new Set(['list', 'detail', 'lookup']));
  });
});
