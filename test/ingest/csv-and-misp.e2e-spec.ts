import { readFileSync } from 'node:fs';
import path from 'node:path';
import { NestExpressApplication } from '@nestjs/platform-express';
import { IncidentReportEntity, ReportIndicatorEntity, ReportSourceFormat } from '@vigia/database';
import request from 'supertest';
import { createOrganisationWithApiKey } from '../../scripts/lib/organisation.factory';
import { bootIngestApp } from '../support/ingest-app';
import { TestContext, createTestContext } from '../support/test-context';

const mispEvent = readFileSync(path.join(__dirname, '../fixtures/misp-event.json'), 'utf8');

describe('ingest: CSV and MISP', () => {
  let context: TestContext;
  let app: NestExpressApplication;
  let apiKey: string;

  beforeAll(async () => {
    context = await createTestContext({ INGEST_CSV_LIMIT_MB: '1' });
    app = await bootIngestApp(context.config);
    ({ apiKey } = await createOrganisationWithApiKey(context.dataSource));
  });

  afterAll(async () => {
    await app?.close();
    await context?.cleanup();
  });

  const indicatorsOf = (reportId: string) =>
    context.dataSource
      .getRepository(ReportIndicatorEntity)
      .find({ where: { reportId }, order: { batch: 'ASC', position: 'ASC' } });
  const reportOf = (id: string) => context.dataSource.getRepository(IncidentReportEntity).findOneByOrFail({ id });

  describe('CSV', () => {
    const query = {
      title: 'Scanning feed',
      classification: 'information-gathering',
      type: 'scanner',
      severity: 'low',
      tlp: 'green',
    };
    const csv = [
      'type,value,first_seen,last_seen,confidence,note',
      'ipv4,203.0.113[.]5,2026-11-20T00:00:00Z,2026-11-21T00:00:00Z,70,ssh brute force',
      'domain,Scanner.EXAMPLE.org,,,,',
      'ipv6,2001:DB8:0:0:0:0:0:1,,,101,',
      'mutex,abc,,,,',
      'ipv4,198.51.100.0/24,,,,"range, quoted"',
      '',
    ].join('\n');

    it('streams text/csv with report fields in the query; bad rows are skipped and listed', async () => {
      const response = await request(app.getHttpServer())
        .post('/api/v1/reports/csv')
        .query(query)
        .set('X-Api-Key', apiKey)
        .set('Content-Type', 'text/csv')
        .send(csv)
        .expect(202);
      const report = await reportOf(response.body.id);
      expect(report).toMatchObject({
        sourceFormat: ReportSourceFormat.Csv,
        title: 'Scanning feed',
        tlp: 'green',
        indicatorCount: 3,
      });
      expect(report.skipped).toEqual([
        { path: 'line 4', value: '2001:DB8:0:0:0:0:0:1', reason: expect.stringContaining('confidence') },
        { path: 'line 5', value: 'abc', reason: expect.stringContaining('unknown indicator type "mutex"') },
      ]);
      const rows = await indicatorsOf(report.id);
      expect(rows.map((row) => [row.type, row.value, row.isCidr, row.confidence, row.note])).toEqual([
        ['ipv4', '203.0.113.5', false, 70, 'ssh brute force'],
        ['domain', 'scanner.example.org', false, null, null],
        ['ipv4', '198.51.100.0/24', true, null, 'range, quoted'],
      ]);
      const status = await request(app.getHttpServer()).get(response.body.status_url).set('X-Api-Key', apiKey);
      expect(status.body.counts).toEqual({ indicators: 3, skipped: 2 });
    });

    it('takes report fields from multipart form fields before the file', async () => {
      const response = await request(app.getHttpServer())
        .post('/api/v1/reports/csv')
        .set('X-Api-Key', apiKey)
        .field('title', 'Form upload')
        .field('classification', 'malicious-code')
        .field('type', 'c2-server')
        .field('severity', 'critical')
        .field('tlp', 'TLP:CLEAR')
        .field('countries', 'UY,AR')
        .attach('file', Buffer.from('type,value\nurl,hxxp://c2.example/gate.php\n'), 'feed.csv')
        .expect(202);
      const report = await reportOf(response.body.id);
      expect(report).toMatchObject({
        title: 'Form upload',
        tlp: 'clear',
        countryTags: ['UY', 'AR'],
        indicatorCount: 1,
      });
      expect((await indicatorsOf(report.id))[0]?.value).toBe('http://c2.example/gate.php');
    });

    it('400 for missing report fields, a bad header, or malformed CSV', async () => {
      const missing = await request(app.getHttpServer())
        .post('/api/v1/reports/csv')
        .set('X-Api-Key', apiKey)
        .set('Content-Type', 'text/csv')
        .send(csv)
        .expect(400);
      expect(missing.body.details.map((d: { path: string }) => d.path)).toEqual(
        expect.arrayContaining(['title', 'classification', 'severity', 'tlp']),
      );
      const header = await request(app.getHttpServer())
        .post('/api/v1/reports/csv')
        .query(query)
        .set('X-Api-Key', apiKey)
        .set('Content-Type', 'text/csv')
        .send('kind,value,colour\nipv4,192.0.2.1,red\n')
        .expect(400);
      expect(header.body.details.map((d: { reason: string }) => d.reason)).toEqual([
        expect.stringContaining('missing column "type"'),
        expect.stringContaining('unknown column "kind"'),
        expect.stringContaining('unknown column "colour"'),
      ]);
      const malformed = await request(app.getHttpServer())
        .post('/api/v1/reports/csv')
        .query(query)
        .set('X-Api-Key', apiKey)
        .set('Content-Type', 'text/csv')
        .send('type,value\nipv4,"192.0.2.1\n')
        .expect(400);
      expect(malformed.body.details[0].reason).toMatch(/Malformed CSV/);
    });

    it('413 over the CSV limit, and nothing is stored', async () => {
      const before = await context.dataSource.getRepository(IncidentReportEntity).count();
      const big = 'type,value\n' + 'ipv4,192.0.2.1\n'.repeat(80_000);
      const response = await request(app.getHttpServer())
        .post('/api/v1/reports/csv')
        .query(query)
        .set('X-Api-Key', apiKey)
        .set('Content-Type', 'text/csv')
        .send(big)
        .expect(413);
      expect(response.body.error).toBe('PAYLOAD_TOO_LARGE');
      expect(await context.dataSource.getRepository(IncidentReportEntity).count()).toBe(before);
    });

    it('415 for another content type', async () => {
      await request(app.getHttpServer())
        .post('/api/v1/reports/csv')
        .query(query)
        .set('X-Api-Key', apiKey)
        .set('Content-Type', 'application/json')
        .send({})
        .expect(415);
    });
  });

  describe('MISP', () => {
    it('maps a MISP event export; unsupported attributes are listed as skipped', async () => {
      const response = await request(app.getHttpServer())
        .post('/api/v1/reports/misp')
        .set('X-Api-Key', apiKey)
        .set('Content-Type', 'application/json')
        .send(mispEvent)
        .expect(202);
      const report = await reportOf(response.body.id);
      expect(report).toMatchObject({
        sourceFormat: ReportSourceFormat.Misp,
        title: 'Phishing campaign impersonating the national tax agency delivers AgentTesla',
        rsitClassification: 'fraud',
        rsitType: 'phishing',
        tlp: 'amber',
      });
      const rows = await indicatorsOf(report.id);
      const types = new Set(rows.map((row) => row.type));
      // The AS attribute is to_ids: false: an observable, no indicator.
      expect(types).not.toContain('asn');
      for (const type of ['domain', 'url', 'ipv4', 'email', 'sha256', 'md5', 'cve']) expect(types).toContain(type);
      const skippedReasons = report.skipped.map((item) => item.reason).join(' | ');
      expect(skippedReasons).toMatch(/regkey/);
      expect(skippedReasons).toMatch(/ssdeep/);
      expect(report.indicatorCount).toBe(rows.length);
    });

    it('query fields override the event', async () => {
      const response = await request(app.getHttpServer())
        .post('/api/v1/reports/misp')
        .query({ tlp: 'green', severity: 'critical' })
        .set('X-Api-Key', apiKey)
        .set('Content-Type', 'application/json')
        .send(mispEvent)
        .expect(202);
      expect(await reportOf(response.body.id)).toMatchObject({ tlp: 'green', severity: 'critical' });
    });

    /** A second event as MISP's restSearch returns it beside the first: another uuid, title and attributes. */
    const secondEvent = () => {
      const { Event: event } = JSON.parse(mispEvent) as { Event: Record<string, unknown> };
      return {
        ...event,
        id: '4188',
        uuid: '7c2d9e41-3a5b-4f6c-8d7e-1f2a3b4c5d6e',
        info: 'Scanning from a hosting provider',
        Tag: [{ name: 'tlp:green' }, { name: 'rsit:information-gathering="scanner"' }],
        Attribute: [
          { type: 'ip-src', category: 'Network activity', to_ids: true, value: '203.0.113.77', comment: 'scanner' },
        ],
        Object: [],
        EventReport: [],
      };
    };
    const postMisp = (body: unknown, key?: string) => {
      const call = request(app.getHttpServer())
        .post('/api/v1/reports/misp')
        .set('X-Api-Key', apiKey)
        .set('Content-Type', 'application/json');
      if (key) call.set('Idempotency-Key', key);
      return call.send(typeof body === 'string' ? body : JSON.stringify(body));
    };

    it('takes a bare event (PyMISP to_json, /events/add) like a wrapped one, answering {id, status_url}', async () => {
      const { Event: bare } = JSON.parse(mispEvent) as { Event: unknown };
      const response = await postMisp(bare).expect(202);
      expect(Object.keys(response.body).sort()).toEqual(['id', 'status_url']);
      const report = await reportOf(response.body.id);
      expect(report).toMatchObject({
        title: 'Phishing campaign impersonating the national tax agency delivers AgentTesla',
        rsitType: 'phishing',
      });
      expect(report.indicatorCount).toBeGreaterThan(5);
    });

    it('takes search results {"response": [...]}: one report per event, listed in order', async () => {
      const searchResults = { response: [JSON.parse(mispEvent), { Event: secondEvent() }] };
      const response = await postMisp(searchResults).expect(202);
      expect(response.body.reports).toHaveLength(2);
      const [first, second] = await Promise.all(
        (response.body.reports as { id: string; status_url: string }[]).map(({ id }) => reportOf(id)),
      );
      expect(first).toMatchObject({ rsitType: 'phishing', tlp: 'amber' });
      expect(second).toMatchObject({ title: 'Scanning from a hosting provider', tlp: 'green', rsitType: 'scanner' });
      expect((await indicatorsOf(second!.id)).map((row) => row.value)).toEqual(['203.0.113.77']);
      const status = await request(app.getHttpServer())
        .get(response.body.reports[1].status_url)
        .set('X-Api-Key', apiKey)
        .expect(200);
      expect(status.body.counts).toEqual({ indicators: 1, skipped: 0 });
    });

    it('takes an array of events, wrapped or bare; a retry with the same Idempotency-Key replays each', async () => {
      const events = [{ Event: secondEvent() }, { ...secondEvent(), info: 'Bare one in the list' }];
      const first = await postMisp(events, 'misp-list-1').expect(202);
      expect(first.body.reports).toHaveLength(2);
      expect((await reportOf(first.body.reports[1].id)).title).toBe('Bare one in the list');
      const again = await postMisp(events, 'misp-list-1').expect(202);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
    });

    it('400 naming the malformed event of a list; none of the list is stored', async () => {
      const before = await context.dataSource.getRepository(IncidentReportEntity).count();
      const response = await postMisp({ response: [{ Event: secondEvent() }, { Event: { info: ' ' } }, 7] }).expect(
        400,
      );
      expect(response.body.details).toEqual([
        { path: 'response[2]', reason: expect.stringMatching(/not a MISP event/) },
      ]);
      const badEvent = await postMisp({ response: [{ Event: secondEvent() }, { Event: { info: ' ' } }] }).expect(400);
      expect(badEvent.body.details).toEqual([
        { path: 'response[1].Event.info', reason: expect.stringMatching(/non-empty string/) },
      ]);
      expect(await context.dataSource.getRepository(IncidentReportEntity).count()).toBe(before);
    });

    it('400 for JSON that is not a MISP event', async () => {
      const response = await request(app.getHttpServer())
        .post('/api/v1/reports/misp')
        .set('X-Api-Key', apiKey)
        .send({ hello: 'world' })
        .expect(400);
      expect(response.body.error).toBe('VALIDATION_FAILED');
      expect(response.body.details.length).toBeGreaterThan(0);
    });
  });
});
