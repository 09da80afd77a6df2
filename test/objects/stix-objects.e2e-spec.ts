import { readFileSync } from 'node:fs';
import path from 'node:path';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Scope } from '@vigia/auth';
import { AuditEventEntity, IncidentReportEntity, ReportStatus, StixObjectEntity } from '@vigia/database';
import { IndicatorType } from '@vigia/indicators';
import { indicatorIdForPattern, relationshipIdFor, stixPatternFor } from '@vigia/stix';
import { findStixSchemaDirectory } from '@vigia/stix/testing';
import request from 'supertest';
import { createOrganisationWithApiKey } from '../../scripts/lib/organisation.factory';
import { waitFor } from '../../scripts/lib/wait-for';
import { bootIngestApp } from '../support/ingest-app';
import { bootPortalApp } from '../support/portal-app';
import { TestContext, createTestContext } from '../support/test-context';
import { bootWorkerApp } from '../support/worker-app';

type StixJson = Record<string, unknown> & { id: string; type: string };

/** The OASIS examples beside the schemas libs/stix/testing finds (`shared/stix2-json-schemas`). */
const schemaDirectory = findStixSchemaDirectory();
const EXAMPLES = schemaDirectory ? path.resolve(schemaDirectory, '../examples') : undefined;
const describeWithExamples = EXAMPLES || process.env.CI ? describe : describe.skip;

const EXAMPLE_FILES = [
  'threat-reports/apt1.json',
  'threat-reports/poisonivy.json',
  'indicator-for-c2-ip-address.json',
  'indicator-to-campaign-relationship.json',
  'indicators-for-C2-with-COA.json',
  'infrastructure.json',
  'malicious-email-indicator-with-attachment.json',
  'interop-objectmarking-test.json',
];

const readExample = (file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(path.join(EXAMPLES ?? '', file), 'utf8')) as Record<string, unknown>;
const objectsOf = (document: Record<string, unknown>): StixJson[] =>
  (document.type === 'bundle' ? document.objects : [document]) as StixJson[];

describeWithExamples('STIX objects: every object of a bundle kept and read by id', () => {
  let context: TestContext;
  let ingest: NestExpressApplication;
  let worker: NestExpressApplication;
  let portal: NestExpressApplication;
  let producer: { id: string; apiKey: string };
  let other: { id: string; apiKey: string };

  beforeAll(async () => {
    context = await createTestContext();
    ingest = await bootIngestApp(context.config);
    worker = await bootWorkerApp(context.config);
    portal = await bootPortalApp(context.config);
    const a = await createOrganisationWithApiKey(context.dataSource, { name: 'Producer CERT' });
    const b = await createOrganisationWithApiKey(context.dataSource, { name: 'Other CSIRT' }, [Scope.IndicatorsRead]);
    producer = { id: a.organisation.id, apiKey: a.apiKey };
    other = { id: b.organisation.id, apiKey: b.apiKey };
  });

  afterAll(async () => {
    await portal?.close();
    await worker?.close();
    await ingest?.close();
    await context?.cleanup();
  });

  const submit = async (document: unknown, query: Record<string, string> = {}): Promise<string> => {
    const response = await request(ingest.getHttpServer())
      .post('/api/v1/reports/stix')
      .query(query)
      .set('X-Api-Key', producer.apiKey)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(document));
    expect(response.status).toBe(202);
    const id = response.body.id as string;
    const report = await waitFor(`report ${id} to settle`, async () => {
      const row = await context.dataSource.getRepository(IncidentReportEntity).findOneByOrFail({ id });
      return row.status === ReportStatus.Received ? undefined : row;
    });
    expect([report.status, report.failureReason]).toEqual([ReportStatus.Normalised, null]);
    return id;
  };

  const read = (apiKey: string, stixId: string, version?: string) =>
    request(portal.getHttpServer())
      .get(`/api/v1/objects/${stixId}`)
      .query(version ? { version } : {})
      .set('X-Api-Key', apiKey);

  it.each(EXAMPLE_FILES)('%s: every object stored and served by id as sent', async (file) => {
    const document = readExample(file);
    const isRed = file.startsWith('interop-objectmarking');
    // TLP:RED names its recipients: the producer keeps this one to itself.
    const reportId = await submit(document, isRed ? { tlp_recipients: producer.id } : {});
    for (const sent of objectsOf(document)) {
      const answer = await read(producer.apiKey, sent.id).expect(200);
      expect(answer.body.objects).toEqual([sent]);
      // Shared with the network, apart from the TLP:RED example (its owner's only: 404 as for nothing).
      await read(other.apiKey, sent.id).expect(isRed ? 404 : 200);
    }
    const rows = await context.dataSource.getRepository(StixObjectEntity).findBy({ reportId, imported: true });
    expect(rows.length).toBeGreaterThan(0);
    // Vigia's report refers to every object of the bundle.
    const stixReport = await read(producer.apiKey, `report--${reportId}`).expect(200);
    const refs = stixReport.body.objects[0].object_refs as string[];
    for (const sent of objectsOf(document)) expect(refs).toContain(sent.id);
  });

  it('keeps patterns it cannot reduce as sent, not value-matchable; links its value indicators to the producer’s', async () => {
    const email = objectsOf(readExample('malicious-email-indicator-with-attachment.json'));
    const indicators = email.filter((object) => object.type === 'indicator');
    const stored = await context.dataSource
      .getRepository(StixObjectEntity)
      .findBy(indicators.map((indicator) => ({ stixId: indicator.id, imported: true })));
    expect(stored.map((row) => row.valueMatchable)).toEqual([false, false]);

    const c2 = objectsOf(readExample('indicator-for-c2-ip-address.json'))[0] as StixJson;
    const [, value] = /'([^']+)'/.exec(String(c2.pattern)) ?? [];
    const valueIndicator = indicatorIdForPattern(stixPatternFor(IndicatorType.Ipv4, String(value)));
    const link = relationshipIdFor(valueIndicator, 'derived-from', c2.id as never);
    const answer = await read(other.apiKey, link).expect(200);
    expect(answer.body.objects[0]).toMatchObject({
      type: 'relationship',
      relationship_type: 'derived-from',
      source_ref: valueIndicator,
      target_ref: c2.id,
    });
  });

  it('keeps a producer’s versions: the latest by default, one by `modified`, all with version=all', async () => {
    const first: StixJson = {
      type: 'threat-actor',
      spec_version: '2.1',
      id: 'threat-actor--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
      created: '2026-01-01T00:00:00.000Z',
      modified: '2026-01-01T00:00:00.000Z',
      name: 'Evil Org',
      threat_actor_types: ['crime-syndicate'],
      x_producer_score: 7,
      object_marking_refs: ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb'],
    };
    const second = { ...first, modified: '2026-02-01T00:00:00.000Z', name: 'Evil Org (renamed)' };
    await submit({ type: 'bundle', id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d', objects: [second] });
    await submit({ type: 'bundle', id: 'bundle--6d0092c5-5f74-4287-9642-33f4c354e56d', objects: [first] });
    expect((await read(other.apiKey, first.id).expect(200)).body.objects).toEqual([second]);
    expect((await read(other.apiKey, first.id, 'all').expect(200)).body.objects).toEqual([first, second]);
    expect((await read(other.apiKey, first.id, first.modified as string).expect(200)).body.objects).toEqual([first]);
    await read(other.apiKey, first.id, '2026-03-01T00:00:00.000Z').expect(404);
    await read(other.apiKey, first.id, 'yesterday').expect(400);
    await read(other.apiKey, 'not-a-stix-id').expect(400);
  });

  it('a report kept to named members: hidden objects answer 404; reads of RED objects are audited', async () => {
    const campaign = objectsOf(readExample('interop-objectmarking-test.json'))[0] as StixJson;
    const before = await context.dataSource
      .getRepository(AuditEventEntity)
      .countBy({ action: 'object.read', targetId: campaign.id });
    await read(producer.apiKey, campaign.id).expect(200);
    const after = await context.dataSource
      .getRepository(AuditEventEntity)
      .countBy({ action: 'object.read', targetId: campaign.id });
    expect(after).toBe(before + 1);

    const secret: StixJson = {
      type: 'malware',
      spec_version: '2.1',
      id: 'malware--1b3f0a4e-6c1e-4f3a-9a43-3a4d8e6b7c21',
      created: '2026-01-01T00:00:00.000Z',
      modified: '2026-01-01T00:00:00.000Z',
      name: 'Quiet loader',
      is_family: true,
    };
    const third = await createOrganisationWithApiKey(context.dataSource, { name: 'Named CSIRT' }, [
      Scope.IndicatorsRead,
    ]);
    await submit(
      { type: 'bundle', id: 'bundle--7d0092c5-5f74-4287-9642-33f4c354e56d', objects: [secret] },
      { tlp: 'amber', tlp_recipients: third.organisation.id },
    );
    await read(third.apiKey, secret.id).expect(200);
    await read(other.apiKey, secret.id).expect(404);

    // A RED object in a GREEN bundle: kept with its owner, and the report others see does not name it.
    const green = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';
    const red = 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1';
    const shared = { ...secret, id: 'malware--2c4e6a8b-0d1f-4a3c-8e5b-7d9f1a3c5e7b', object_marking_refs: [green] };
    const kept = { ...secret, id: 'malware--3d5f7b9c-1e2a-4b4d-9f6c-8e0a2b4d6f8c', object_marking_refs: [red] };
    const mixed = await submit(
      { type: 'bundle', id: 'bundle--8d0092c5-5f74-4287-9642-33f4c354e56d', objects: [shared, kept] },
      { tlp: 'green' },
    );
    await read(other.apiKey, shared.id).expect(200);
    await read(other.apiKey, kept.id).expect(404);
    await read(producer.apiKey, kept.id).expect(200);
    const report = (await read(other.apiKey, `report--${mixed}`).expect(200)).body.objects[0];
    expect(report.object_refs).toContain(shared.id);
    expect(report.object_refs).not.toContain(kept.id);
    await read(other.apiKey, 'malware--00000000-0000-4000-8000-000000000000').expect(404);
  });
});
