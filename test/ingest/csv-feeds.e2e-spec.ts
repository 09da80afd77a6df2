import { readFileSync } from 'node:fs';
import path from 'node:path';
import { NestExpressApplication } from '@nestjs/platform-express';
import { IncidentReportEntity, ReportIndicatorEntity } from '@vigia/database';
import request from 'supertest';
import { createOrganisationWithApiKey } from '../../scripts/lib/organisation.factory';
import { bootIngestApp } from '../support/ingest-app';
import { TestContext, createTestContext } from '../support/test-context';

const feed = (name: string) => readFileSync(path.join(__dirname, '../fixtures/feeds', name), 'utf8');

/** The CSV exports CSIRTs already pull from abuse.ch, posted as downloaded, with a column mapping. */
describe('ingest: CSV feeds with a column mapping and # comments', () => {
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

  const reportFields = {
    classification: 'malicious-code',
    type: 'malware-distribution',
    severity: 'high',
    tlp: 'clear',
  };
  const postCsv = (body: string, query: Record<string, string>) =>
    request(app.getHttpServer())
      .post('/api/v1/reports/csv')
      .query({ ...reportFields, ...query })
      .set('X-Api-Key', apiKey)
      .set('Content-Type', 'text/csv')
      .send(body);
  const reportOf = (id: string) => context.dataSource.getRepository(IncidentReportEntity).findOneByOrFail({ id });
  const indicatorsOf = (reportId: string) =>
    context.dataSource
      .getRepository(ReportIndicatorEntity)
      .find({ where: { reportId }, order: { batch: 'ASC', position: 'ASC' } });

  it('URLhaus: header in a # comment, a constant indicator type, UTC dates, tags joined into the note', async () => {
    const response = await postCsv(feed('urlhaus-recent.csv'), {
      title: 'URLhaus recent',
      columns: 'url:value,dateadded:first_seen,last_online:last_seen,threat:note,tags:note',
      indicator_type: 'url',
    }).expect(202);
    const report = await reportOf(response.body.id);
    expect(report.indicatorCount).toBe(3);
    expect(report.skipped).toEqual([{ path: 'line 13', value: 'not a url', reason: expect.any(String) }]);
    const rows = await indicatorsOf(report.id);
    expect(rows.map((row) => [row.type, row.value, row.firstSeen?.toISOString(), row.note])).toEqual([
      ['url', 'http://203.0.113.10:43254/Mozi.m', '2026-11-21T10:02:06.000Z', 'malware_download; elf,Mozi'],
      [
        'url',
        'https://dl.bad.example/invoice.zip#download',
        '2026-11-21T09:58:41.000Z',
        'malware_download; zip,AgentTesla',
      ],
      ['url', 'http://198.51.100.23/bins/x86', '2026-11-21T09:41:13.000Z', 'malware_download; 32-bit,elf,x86'],
    ]);
    expect(rows[2]!.lastSeen).toBeNull();
  });

  it('ThreatFox (multipart): its ioc_type vocabulary, ip:port without the port, confidence, quoted header comment', async () => {
    const response = await request(app.getHttpServer())
      .post('/api/v1/reports/csv')
      .set('X-Api-Key', apiKey)
      .field('title', 'ThreatFox recent')
      .field('classification', 'malicious-code')
      .field('type', 'c2-server')
      .field('severity', 'high')
      .field('tlp', 'green')
      .field(
        'columns',
        'ioc_value:value,ioc_type:type,first_seen_utc:first_seen,last_seen_utc:last_seen,confidence_level:confidence,malware_printable:note',
      )
      .attach('file', Buffer.from(feed('threatfox-recent.csv')), { filename: 'full.csv', contentType: 'text/csv' })
      .expect(202);
    const report = await reportOf(response.body.id);
    expect(report.skipped).toEqual([]);
    const rows = await indicatorsOf(report.id);
    expect(rows.map((row) => [row.type, row.value, row.confidence, row.note])).toEqual([
      ['ipv4', '203.0.113.77', 100, 'Cobalt Strike'],
      ['domain', 'c2.bad.example', 75, 'Agent Tesla'],
      ['url', 'https://pay.bad.example/gate.php', 50, 'Unknown malware'],
      ['sha256', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 100, 'Remcos'],
      ['md5', 'd41d8cd98f00b204e9800998ecf8427e', 100, 'Remcos'],
    ]);
    expect(rows[1]!.lastSeen?.toISOString()).toBe('2026-11-21T10:16:00.000Z');
  });

  it('Feodo Tracker: a plain header after the banner, a trailing # line, other columns ignored', async () => {
    const response = await postCsv(feed('feodo-ipblocklist.csv'), {
      title: 'Feodo Tracker C2 blocklist',
      type: 'c2-server',
      columns: 'dst_ip:value,first_seen_utc:first_seen,last_online:last_seen,malware:note',
      indicator_type: 'ipv4',
    }).expect(202);
    const rows = await indicatorsOf(response.body.id);
    expect(rows.map((row) => [row.value, row.note, row.firstSeen?.toISOString()])).toEqual([
      ['198.51.100.205', 'Dridex', '2026-01-17T07:30:05.000Z'],
      ['203.0.113.54', 'Emotet', '2026-03-02T12:01:44.000Z'],
      ['192.0.2.99', 'QakBot', '2026-05-09T08:12:00.000Z'],
    ]);
    expect((await reportOf(response.body.id)).skipped).toEqual([]);
  });

  it('skips # comment lines in Vigia’s own layout too, keeping line numbers', async () => {
    const body = '# exported by our SIEM\ntype,value,note\n# a comment between rows\nipv4,203.0.113.8,x\nmutex,abc,\n';
    const response = await postCsv(body, { title: 'Own layout' }).expect(202);
    const report = await reportOf(response.body.id);
    expect(report.indicatorCount).toBe(1);
    expect(report.skipped).toEqual([expect.objectContaining({ path: 'line 5', value: 'abc' })]);
  });

  it('400 with reasons for a bad mapping or mapped columns the file lacks', async () => {
    const bad = await postCsv(feed('feodo-ipblocklist.csv'), {
      title: 'x',
      columns: 'dst_ip:valeur,nothing,malware:note,c2_status:note',
    }).expect(400);
    expect(bad.body.details.map((detail: { reason: string }) => detail.reason)).toEqual([
      expect.stringMatching(/the Vigia column must be one of/),
      expect.stringMatching(/expected <file column>:<Vigia column>/),
      expect.stringMatching(/nothing fills "type"/),
      expect.stringMatching(/nothing fills "value"/),
    ]);
    const missing = await postCsv(feed('feodo-ipblocklist.csv'), {
      title: 'x',
      columns: 'ip_address:value',
      indicator_type: 'ipv4',
    }).expect(400);
    expect(missing.body.details).toEqual([
      expect.objectContaining({ path: 'csv.header', reason: expect.stringMatching(/no column "ip_address"/) }),
    ]);
    expect(await context.dataSource.getRepository(IncidentReportEntity).countBy({ title: 'x' })).toBe(0);
  });
});
