import { readFileSync } from 'node:fs';
import path from 'node:path';
import { NestExpressApplication } from '@nestjs/platform-express';
import { IncidentReportEntity, ReportIndicatorEntity, ReportSourceFormat } from '@vigia/database';
import { IndicatorType, TlpLevel } from '@vigia/indicators';
import {
  artifactObjects,
  buildBundle,
  buildIndicatorArtifacts,
  buildReport,
  identityForOrganisation,
  tlpMarkingFor,
} from '@vigia/stix';
import request from 'supertest';
import { createOrganisationWithApiKey } from '../../scripts/lib/organisation.factory';
import { bootIngestApp } from '../support/ingest-app';
import { TestContext, createTestContext } from '../support/test-context';

const OASIS_EXAMPLES = path.resolve(__dirname, '../../../shared/stix2-json-schemas/examples');

/** A bundle as a partner platform would send it, built with our own STIX library. */
function partnerBundle() {
  const partner = identityForOrganisation({ id: 'partner-cert', name: 'Partner CERT' });
  const created = '2026-11-21T10:00:00.000Z';
  const artifacts = [
    buildIndicatorArtifacts(IndicatorType.Domain, 'c2.bad.example', {
      tlp: TlpLevel.Green,
      createdBy: partner.id,
      created,
    }),
    buildIndicatorArtifacts(IndicatorType.Ipv4, '203.0.113.0/24', {
      tlp: TlpLevel.AmberStrict,
      createdBy: partner.id,
      created,
    }),
    buildIndicatorArtifacts(IndicatorType.Cve, 'CVE-2026-12345', {
      tlp: TlpLevel.Green,
      createdBy: partner.id,
      created,
    }),
  ];
  const objects = artifactObjects(artifacts);
  const report = buildReport({
    name: 'Botnet C2 infrastructure',
    description: 'Shared by a partner CERT',
    published: created,
    objectRefs: objects.map((object) => object.id),
    createdBy: partner.id,
    created,
    markingRefs: [tlpMarkingFor(TlpLevel.Green).id],
  });
  const custom = { type: 'x-partner-score', id: 'x-partner-score--0b7c5c3c-1c1a-4f6e-9f43-1f5f2a4e9d10', score: 7 };
  return buildBundle([
    partner,
    tlpMarkingFor(TlpLevel.Green).markingDefinition,
    tlpMarkingFor(TlpLevel.AmberStrict).markingDefinition,
    ...objects,
    report,
    custom as never,
  ]);
}

describe('ingest: STIX 2.1 bundles', () => {
  let context: TestContext;
  let app: NestExpressApplication;
  let apiKey: string;

  beforeAll(async () => {
    context = await createTestContext();
    app = await bootIngestApp(context.config);
    ({ apiKey } = await createOrganisationWithApiKey(context.dataSource));
  });

  afterAll(async () => {
    await app?.close();
    await context?.cleanup();
  });

  const post = (body: unknown, contentType = 'application/stix+json;version=2.1') =>
    request(app.getHttpServer())
      .post('/api/v1/reports/stix')
      .set('X-Api-Key', apiKey)
      .set('Content-Type', contentType)
      .send(JSON.stringify(body));

  it('turns a bundle into a report: indicators from patterns, CVEs, strictest TLP; custom objects skipped', async () => {
    const response = await post(partnerBundle()).expect(202);
    const report = await context.dataSource
      .getRepository(IncidentReportEntity)
      .findOneByOrFail({ id: response.body.id });
    expect(report).toMatchObject({
      sourceFormat: ReportSourceFormat.Stix,
      title: 'Botnet C2 infrastructure',
      tlp: 'amber+strict',
      rsitClassification: 'other',
      rsitType: 'undetermined',
    });
    const rows = await context.dataSource.getRepository(ReportIndicatorEntity).findBy({ reportId: report.id });
    expect(rows.map((row) => `${row.type}:${row.value}`).sort()).toEqual([
      'cve:CVE-2026-12345',
      'domain:c2.bad.example',
      'ipv4:203.0.113.0/24',
    ]);
    expect(report.skipped).toEqual([
      expect.objectContaining({ reason: 'custom object type "x-partner-score" is not imported' }),
    ]);
  });

  it('reads the OASIS example bundles; patterns it cannot flatten give no value and are not skipped (kept by the worker)', async () => {
    const c2 = JSON.parse(readFileSync(path.join(OASIS_EXAMPLES, 'indicators-for-C2-with-COA.json'), 'utf8'));
    const first = await post(c2, 'application/json')
      .query({ classification: 'malicious-code', type: 'c2-server' })
      .expect(202);
    const rows = await context.dataSource.getRepository(ReportIndicatorEntity).findBy({ reportId: first.body.id });
    expect(rows.map((row) => row.type).sort()).toEqual(['ipv4', 'sha256']);
    const email = JSON.parse(
      readFileSync(path.join(OASIS_EXAMPLES, 'malicious-email-indicator-with-attachment.json'), 'utf8'),
    );
    const second = await post(email).expect(202);
    const report = await context.dataSource.getRepository(IncidentReportEntity).findOneByOrFail({ id: second.body.id });
    expect(report.indicatorCount).toBe(0);
    expect(report.skipped).toEqual([]);
  });

  it('400 listing schema problems of each object', async () => {
    const bundle = partnerBundle() as unknown as { objects: Record<string, unknown>[] };
    const indicatorIndex = bundle.objects.findIndex((object) => object.type === 'indicator');
    delete bundle.objects[indicatorIndex]!.pattern;
    bundle.objects[0]!.created = 'yesterday';
    const response = await post(bundle).expect(400);
    expect(response.body.error).toBe('VALIDATION_FAILED');
    const paths = (response.body.details as { path: string }[]).map((detail) => detail.path);
    expect(paths.some((p) => p.startsWith(`objects[${indicatorIndex}]`))).toBe(true);
    expect(paths.some((p) => p.startsWith('objects[0]'))).toBe(true);
  });

  it('takes a TAXII 2.1 envelope like a bundle', async () => {
    const { objects } = partnerBundle() as unknown as { objects: Record<string, unknown>[] };
    const response = await post({ more: false, objects }, 'application/taxii+json;version=2.1').expect(202);
    const report = await context.dataSource
      .getRepository(IncidentReportEntity)
      .findOneByOrFail({ id: response.body.id });
    expect(report).toMatchObject({ title: 'Botnet C2 infrastructure', tlp: 'amber+strict', indicatorCount: 3 });
    const broken = await post({ objects: [objects[0], { ...objects[1], id: 'indicator--1' }] }).expect(400);
    expect(broken.body.details.map((detail: { path: string }) => detail.path)).toContain('objects[1].id');
  });

  it('takes a single STIX object: an indicator becomes a report of its own', async () => {
    const [indicator] = buildIndicatorArtifacts(IndicatorType.Url, 'http://phish.example/login', {
      tlp: TlpLevel.Green,
    }).objects;
    const response = await post(indicator).expect(202);
    const report = await context.dataSource
      .getRepository(IncidentReportEntity)
      .findOneByOrFail({ id: response.body.id });
    expect(report).toMatchObject({ title: `STIX indicator ${indicator!.id}`, tlp: 'green', indicatorCount: 1 });
  });

  it('400 with reasons for a broken single object or what is no STIX at all, 415 for a wrong content type', async () => {
    const single = await post({ type: 'indicator' }).expect(400);
    expect(single.body.details).toEqual(
      expect.arrayContaining([{ path: 'object', reason: "must have required property 'pattern'" }]),
    );
    const nothing = await post({ title: 'no STIX here' }).expect(400);
    expect(nothing.body.details[0].reason).toMatch(/bundle, a TAXII 2.1 envelope .* or a single STIX object/);
    await post([{ type: 'indicator' }]).expect(400);
    await post(partnerBundle(), 'text/plain').expect(415);
  });
});
