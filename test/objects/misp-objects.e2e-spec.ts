import { readFileSync } from 'node:fs';
import path from 'node:path';
import { NestExpressApplication } from '@nestjs/platform-express';
import { IncidentReportEntity, ReportIndicatorEntity, ReportStatus } from '@vigia/database';
import { StixValidator } from '@vigia/stix';
import request from 'supertest';
import { createOrganisationWithApiKey } from '../../scripts/lib/organisation.factory';
import { waitFor } from '../../scripts/lib/wait-for';
import { bootIngestApp } from '../support/ingest-app';
import { bootPortalApp } from '../support/portal-app';
import { TestContext, createTestContext } from '../support/test-context';
import { bootWorkerApp } from '../support/worker-app';

type StixJson = Record<string, unknown> & { id: string; type: string };

/**
 * The MISP export fixture with what MISP adds to an analysed event: galaxy clusters (as `Event.Galaxy` carries them,
 * ATT&CK meta included), a confidence tag, and an e-mail object with a relation STIX has no property for.
 */
function analysedEvent(): { Event: Record<string, unknown> } {
  const exported = JSON.parse(readFileSync(path.join(__dirname, '../fixtures/misp-event.json'), 'utf8')) as {
    Event: Record<string, unknown>;
  };
  const event = exported.Event;
  event.Tag = [...(event.Tag as object[]), { name: 'misp:confidence-level="usually-confident"' }];
  event.Galaxy = [
    {
      id: '36',
      uuid: 'c4e851fa-775f-11e7-8163-b774922098cd',
      name: 'Attack Pattern',
      type: 'mitre-attack-pattern',
      namespace: 'mitre-attack',
      GalaxyCluster: [
        {
          id: '5530',
          uuid: '2e34237d-8574-43f6-aace-ae2915de8597',
          type: 'mitre-attack-pattern',
          value: 'Spearphishing Attachment - T1566.001',
          tag_name: 'misp-galaxy:mitre-attack-pattern="Spearphishing Attachment - T1566.001"',
          description: 'Adversaries may send spearphishing e-mails with a malicious attachment.',
          meta: { external_id: ['T1566.001'], kill_chain: ['mitre-attack:initial-access'] },
        },
      ],
    },
    {
      id: '12',
      uuid: '698774c7-8022-42c4-917f-8d6e4f06ada3',
      name: 'Threat Actor',
      type: 'threat-actor',
      GalaxyCluster: [
        {
          uuid: '7cdff317-a673-4474-84ec-4f1754947823',
          type: 'threat-actor',
          value: 'SilverTerrier',
          description: 'Nigerian business e-mail compromise actors.',
          meta: { synonyms: ['TMT'] },
        },
      ],
    },
    {
      uuid: 'd5cbd1a2-78f6-11e7-a833-7b9bccca9649',
      type: 'mitre-tool',
      GalaxyCluster: [
        { uuid: 'a52edc76-328d-4596-85e7-d56ef5a9eb69', type: 'mitre-tool', value: 'Net - S0039', meta: {} },
      ],
    },
  ];
  event.Object = [
    ...(event.Object as object[]),
    {
      name: 'url',
      uuid: '5d6e7f80-1a2b-4c3d-8e9f-0a1b2c3d4e5f',
      Attribute: [
        { object_relation: 'url', type: 'url', to_ids: true, value: 'https://taxrefund-portal.example/download' },
        { object_relation: 'resource_path', type: 'text', to_ids: false, value: '/download' },
      ],
    },
    {
      name: 'email',
      meta_category: 'network',
      uuid: '3b4d2f0a-6a7c-4e5f-9d1b-2c3e4f5a6b7c',
      Attribute: [
        { object_relation: 'from', type: 'email-src', to_ids: true, value: 'noreply@taxrefund-portal.example' },
        { object_relation: 'to', type: 'email-dst', to_ids: false, value: 'victim@agency.example' },
        { object_relation: 'subject', type: 'email-subject', to_ids: false, value: 'Your tax refund is ready' },
        { object_relation: 'x-mailer', type: 'email-x-mailer', to_ids: false, value: 'PHPMailer 6.0' },
      ],
    },
  ];
  return exported;
}

describe('MISP events: galaxies, tags, observables and objects as STIX', () => {
  let context: TestContext;
  let ingest: NestExpressApplication;
  let worker: NestExpressApplication;
  let portal: NestExpressApplication;
  let apiKey: string;
  let reportId: string;
  let objects: StixJson[];

  beforeAll(async () => {
    context = await createTestContext();
    ingest = await bootIngestApp(context.config);
    worker = await bootWorkerApp(context.config);
    portal = await bootPortalApp(context.config);
    ({ apiKey } = await createOrganisationWithApiKey(context.dataSource));
    const response = await request(ingest.getHttpServer())
      .post('/api/v1/reports/misp')
      .set('X-Api-Key', apiKey)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(analysedEvent()))
      .expect(202);
    reportId = response.body.id as string;
    const report = await waitFor('the MISP report to settle', async () => {
      const row = await context.dataSource.getRepository(IncidentReportEntity).findOneByOrFail({ id: reportId });
      return row.status === ReportStatus.Received ? undefined : row;
    });
    expect([report.status, report.failureReason]).toEqual([ReportStatus.Normalised, null]);
    const stixReport = await read(`report--${reportId}`);
    objects = [];
    for (const ref of stixReport.object_refs as string[]) objects.push(await read(ref));
  });

  afterAll(async () => {
    await portal?.close();
    await worker?.close();
    await ingest?.close();
    await context?.cleanup();
  });

  async function read(stixId: string): Promise<StixJson> {
    const answer = await request(portal.getHttpServer()).get(`/api/v1/objects/${stixId}`).set('X-Api-Key', apiKey);
    expect(answer.status).toBe(200);
    return answer.body.objects[0] as StixJson;
  }

  const ofType = (type: string) => objects.filter((object) => object.type === type);

  it('maps galaxy clusters and galaxy tags to attack patterns (ATT&CK ids), threat actors, malware and tools', () => {
    expect(ofType('attack-pattern')).toEqual([
      expect.objectContaining({
        name: 'Spearphishing Attachment - T1566.001',
        external_references: [expect.objectContaining({ source_name: 'mitre-attack', external_id: 'T1566.001' })],
      }),
    ]);
    expect(ofType('threat-actor')).toEqual([expect.objectContaining({ name: 'SilverTerrier', aliases: ['TMT'] })]);
    expect(ofType('malware')).toEqual([expect.objectContaining({ name: 'Agent Tesla', is_family: true })]);
    expect(ofType('tool')).toEqual([expect.objectContaining({ name: 'Net - S0039' })]);
  });

  it('to_ids: false attributes are observables, not indicators; confidence from misp:confidence-level', async () => {
    const rows = await context.dataSource.getRepository(ReportIndicatorEntity).findBy({ reportId });
    const values = rows.map((row) => row.value);
    expect(values).not.toContain('741bbfe6375f736d064a3e23f004676d');
    expect(values).not.toContain('64500');
    expect(values).toContain('cve-2017-11882'.toUpperCase());
    expect(new Set(rows.map((row) => row.confidence))).toEqual(new Set([75]));
    expect(ofType('file').map((file) => file.hashes)).toContainEqual({ MD5: '741bbfe6375f736d064a3e23f004676d' });
    expect(ofType('autonomous-system')).toEqual([expect.objectContaining({ number: 64500 })]);
  });

  it('MISP objects become their nearest STIX; what STIX has no property for is listed as skipped', async () => {
    expect(ofType('file')).toContainEqual(
      expect.objectContaining({
        name: 'winupdate.exe',
        size: 418304,
        hashes: expect.objectContaining({ MD5: expect.any(String), 'SHA-1': expect.any(String) }),
      }),
    );
    const [domain] = ofType('domain-name').filter((object) => object.value === 'api.telegram-relay.example');
    const address = ofType('ipv4-addr').find((object) => object.value === '198.51.100.200');
    expect(domain?.resolves_to_refs).toEqual([address?.id]);
    expect(ofType('url').map((url) => url.value)).toContain('https://taxrefund-portal.example/download');
    // The fixture's deleted url object maps to nothing.
    expect(ofType('url').map((url) => url.value)).not.toContain('http://staging.cdn-update.example/a.exe');
    const [message] = ofType('email-message');
    expect(message).toMatchObject({ subject: 'Your tax refund is ready', is_multipart: false });
    expect(objects.find((object) => object.id === message?.from_ref)).toMatchObject({
      value: 'noreply@taxrefund-portal.example',
    });
    const report = await context.dataSource.getRepository(IncidentReportEntity).findOneByOrFail({ id: reportId });
    expect(report.skipped).toContainEqual(
      expect.objectContaining({
        value: 'PHPMailer 6.0',
        reason: 'a MISP email object\'s "x-mailer" has no STIX counterpart',
      }),
    );
    expect(report.skipped).toContainEqual(
      expect.objectContaining({
        value: '/download',
        reason: 'a MISP url object\'s "resource_path" has no STIX counterpart',
      }),
    );
    expect(report.skipped.map((item) => item.value)).not.toContain('winupdate.exe');
  });

  it('every object it builds is plain STIX 2.1 (no custom content)', () => {
    const validator = new StixValidator();
    for (const object of objects) expect([object.id, validator.validateStrict(object).errors]).toEqual([object.id, []]);
  });
});
