import { readFileSync } from 'node:fs';
import path from 'node:path';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Scope } from '@vigia/auth';
import { IncidentReportEntity, ReportStatus } from '@vigia/database';
import { StixValidator } from '@vigia/stix';
import { findStixSchemaDirectory } from '@vigia/stix/testing';
import request from 'supertest';
import { createOrganisationWithApiKey } from '../../scripts/lib/organisation.factory';
import { waitFor } from '../../scripts/lib/wait-for';
import { reportBody } from '../factories/report.factory';
import { bootIngestApp } from '../support/ingest-app';
import { bootPortalApp } from '../support/portal-app';
import { TestContext, createTestContext } from '../support/test-context';
import { bootWorkerApp } from '../support/worker-app';

type StixJson = Record<string, unknown> & { id: string; type: string };
type MispEvent = { Event: Record<string, unknown> & { Attribute: Record<string, unknown>[]; Tag: { name: string }[] } };

const schemaDirectory = findStixSchemaDirectory();
const EXAMPLES = schemaDirectory ? path.resolve(schemaDirectory, '../examples') : undefined;
const describeWithExamples = EXAMPLES || process.env.CI ? describe : describe.skip;

describeWithExamples('reports as a STIX bundle, a MISP event and a MISP feed, under the sharing rule', () => {
  let context: TestContext;
  let ingest: NestExpressApplication;
  let worker: NestExpressApplication;
  let portal: NestExpressApplication;
  let producer: { id: string; apiKey: string };
  let other: { id: string; apiKey: string };
  let named: { id: string; apiKey: string };
  let c2Report: string;
  let c2Bundle: { objects: StixJson[] };

  beforeAll(async () => {
    context = await createTestContext();
    ingest = await bootIngestApp(context.config);
    worker = await bootWorkerApp(context.config);
    portal = await bootPortalApp(context.config);
    const make = async (name: string) => {
      const made = await createOrganisationWithApiKey(context.dataSource, { name });
      return { id: made.organisation.id, apiKey: made.apiKey };
    };
    producer = await make('Producer CERT');
    other = await make('Other CSIRT');
    named = await make('Named CSIRT');
    c2Bundle = JSON.parse(readFileSync(path.join(EXAMPLES ?? '', 'indicators-for-C2-with-COA.json'), 'utf8'));
    c2Report = await submit('stix', c2Bundle);
  });

  afterAll(async () => {
    await portal?.close();
    await worker?.close();
    await ingest?.close();
    await context?.cleanup();
  });

  async function submit(format: 'stix' | 'misp' | 'json', body: unknown, query: Record<string, string> = {}) {
    const response = await request(ingest.getHttpServer())
      .post(format === 'json' ? '/api/v1/reports' : `/api/v1/reports/${format}`)
      .query(query)
      .set('X-Api-Key', producer.apiKey)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(body));
    expect(response.status).toBe(202);
    const id = response.body.id as string;
    const report = await waitFor(`report ${id} to settle`, async () => {
      const row = await context.dataSource.getRepository(IncidentReportEntity).findOneByOrFail({ id });
      return row.status === ReportStatus.Received ? undefined : row;
    });
    expect([report.status, report.failureReason]).toEqual([ReportStatus.Normalised, null]);
    return id;
  }

  const get = (apiKey: string, url: string) => request(portal.getHttpServer()).get(url).set('X-Api-Key', apiKey);

  it('a STIX 2.1 bundle: the report, every object of the bundle it came from, Vigia’s indicators based-on their SCOs', async () => {
    const answer = await get(other.apiKey, `/api/v1/reports/${c2Report}?format=stix`).expect(200);
    const bundle = answer.body as { type: string; objects: StixJson[] };
    expect(bundle.type).toBe('bundle');
    expect(new StixValidator().validateBundle(bundle).errors).toEqual([]);
    const ids = new Set(bundle.objects.map((object) => object.id));
    expect(bundle.objects[0]?.id).toBe(`report--${c2Report}`);
    for (const sent of c2Bundle.objects) {
      expect(bundle.objects.find((object) => object.id === sent.id)).toEqual(sent);
    }
    const valueIndicators = bundle.objects.filter(
      (object) => object.type === 'indicator' && !c2Bundle.objects.some((sent) => sent.id === object.id),
    );
    expect(valueIndicators).toHaveLength(2);
    const basedOn = bundle.objects.filter((object) => object.relationship_type === 'based-on');
    expect(basedOn.map((relationship) => relationship.source_ref).sort()).toEqual(
      valueIndicators.map((indicator) => indicator.id).sort(),
    );
    for (const relationship of basedOn) expect(ids.has(String(relationship.target_ref))).toBe(true);
    expect(bundle.objects.some((object) => object.relationship_type === 'derived-from')).toBe(true);
  });

  it('a MISP event: indicators to detect, malware as a galaxy tag, TLP tag; MISP takes it back', async () => {
    const answer = await get(other.apiKey, `/api/v1/reports/${c2Report}?format=misp`).expect(200);
    const event = answer.body as MispEvent;
    expect(event.Event).toMatchObject({ uuid: c2Report, distribution: '0', published: true });
    const attributes = event.Event.Attribute.map((attribute) => [attribute.type, attribute.to_ids]);
    expect(attributes).toContainEqual(['ip-dst', true]);
    expect(attributes).toContainEqual(['sha256', true]);
    const tags = event.Event.Tag.map((tag) => tag.name);
    expect(tags).toContain('tlp:amber');
    expect(tags.some((tag) => tag.startsWith('misp-galaxy:malpedia='))).toBe(true);
    // What Vigia exports, Vigia (and so MISP's own format) reads.
    await submit('misp', event);
  });

  it('404 for reports not shared with the caller; 400 for an unknown format', async () => {
    const restricted = await submit('json', reportBody({ tlp: 'amber', tlp_recipients: [named.id] }));
    await get(named.apiKey, `/api/v1/reports/${restricted}?format=stix`).expect(200);
    await get(other.apiKey, `/api/v1/reports/${restricted}?format=stix`).expect(404);
    await get(other.apiKey, `/api/v1/reports/${restricted}?format=misp`).expect(404);
    await get(other.apiKey, `/api/v1/reports/${c2Report}?format=csv`).expect(400);
    await get(other.apiKey, `/api/v1/reports/00000000-0000-4000-8000-000000000000?format=stix`).expect(404);
  });

  it('a MISP feed: manifest.json lists what the member may receive (RED left out), each event at <uuid>.json', async () => {
    const red = await submit('json', reportBody({ tlp: 'red', tlp_recipients: [other.id] }));
    const manifest = (await get(other.apiKey, '/api/v1/misp-feed/manifest.json').expect(200)).body as Record<
      string,
      Record<string, unknown>
    >;
    expect(manifest[c2Report]).toMatchObject({
      info: expect.any(String),
      date: expect.any(String),
      Orgc: expect.any(Object),
    });
    expect(Object.keys(manifest)).not.toContain(red);
    const event = (await get(other.apiKey, `/api/v1/misp-feed/${c2Report}.json`).expect(200)).body as MispEvent;
    expect(event.Event.uuid).toBe(c2Report);
    await get(other.apiKey, `/api/v1/misp-feed/${red}.json`).expect(404);
    await get(other.apiKey, '/api/v1/misp-feed/hashes.csv').expect(400);
    const noScope = await createOrganisationWithApiKey(context.dataSource, { name: 'No scope' }, [Scope.ReportsWrite]);
    await get(noScope.apiKey, '/api/v1/misp-feed/manifest.json').expect(403);
  });
});
