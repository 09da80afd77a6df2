import http from 'node:http';
import { AddressInfo } from 'node:net';
import { NestExpressApplication } from '@nestjs/platform-express';
import { IncidentReportEntity } from '@vigia/database';
import request from 'supertest';
import { createOrganisationWithApiKey } from '../../scripts/lib/organisation.factory';
import { JSON_REPORT_EXAMPLE, STIX_BUNDLE_EXAMPLE } from '../../apps/ingest/src/reports/dto/openapi-examples';
import { bootIngestApp } from '../support/ingest-app';
import { TestContext, createTestContext } from '../support/test-context';

const MAX_INDICATORS = 50;
const BODY_DEADLINE_SECONDS = 2;

/** JSON text nested `levels` deep (as text: JSON serialisers give up long before a hostile sender does). */
const deepJson = (levels: number): string => `${'{"nested":'.repeat(levels)}"bottom"${'}'.repeat(levels)}`;

const csvQuery = {
  title: 'Scanning feed',
  classification: 'information-gathering',
  type: 'scanner',
  severity: 'low',
  tlp: 'green',
};
const csvOf = (...rows: string[]): string =>
  ['type,value,first_seen,last_seen,confidence,note', ...rows, ''].join('\n');

const indicatorObject = (index: number) => ({
  type: 'indicator',
  spec_version: '2.1',
  id: `indicator--${String(index).padStart(8, '0')}-0000-4000-8000-000000000000`,
  created: '2026-11-21T10:00:00.000Z',
  modified: '2026-11-21T10:00:00.000Z',
  pattern: `[ipv4-addr:value = '198.51.${Math.floor(index / 250) % 250}.${index % 250}']`,
  pattern_type: 'stix',
  valid_from: '2026-11-21T10:00:00.000Z',
});

const mispEvent = (attributes: number) => ({
  Event: {
    info: 'Scanning campaign',
    date: '2026-11-20',
    threat_level_id: '2',
    Attribute: Array.from({ length: attributes }, (_, index) => ({
      type: 'ip-dst',
      category: 'Network activity',
      to_ids: true,
      value: `198.51.${Math.floor(index / 250) % 250}.${index % 250}`,
    })),
  },
});

describe('hostile input on ingest', () => {
  let context: TestContext;
  let app: NestExpressApplication;
  let apiKey: string;
  let otherKey: string;

  beforeAll(async () => {
    context = await createTestContext({
      INGEST_MAX_INDICATORS: String(MAX_INDICATORS),
      INGEST_RATE_LIMIT_PER_MINUTE: '100000',
      INGEST_JSON_LIMIT_MB: '10',
      HTTP_BODY_TIMEOUT_SECONDS: String(BODY_DEADLINE_SECONDS),
      DATABASE_POOL_SIZE: '4',
    });
    app = await bootIngestApp(context.config);
    ({ apiKey } = await createOrganisationWithApiKey(context.dataSource, { name: 'CERT Alfa' }));
    ({ apiKey: otherKey } = await createOrganisationWithApiKey(context.dataSource, { name: 'CERT Bravo' }));
  });

  afterAll(async () => {
    await app?.close();
    await context?.cleanup();
  });

  const reportCount = () => context.dataSource.getRepository(IncidentReportEntity).count();
  const postJson = (path: string, body: string | object, key = apiKey) =>
    request(app.getHttpServer())
      .post(path)
      .set('X-Api-Key', key)
      .set('Content-Type', 'application/json')
      .send(typeof body === 'string' ? body : JSON.stringify(body));
  const postCsv = (csv: string | Buffer, key = apiKey) =>
    request(app.getHttpServer())
      .post('/api/v1/reports/csv')
      .query(csvQuery)
      .set('X-Api-Key', key)
      .set('Content-Type', 'text/csv')
      .send(csv);

  const problemsOf = (answer: request.Response) => JSON.stringify(answer.body).slice(0, 800);

  describe('NUL, lone surrogates and cut characters are refused at the door, never a 500', () => {
    it('a NUL in the title of a 6 MB JSON report: 400 naming the title', async () => {
      const before = await reportCount();
      const padding = 'x'.repeat(6 * 2 ** 20);
      const answer = await postJson('/api/v1/reports', {
        ...JSON_REPORT_EXAMPLE,
        title: 'Phishing\u0000campaign',
        description: padding,
      });
      expect({ status: answer.status, shown: problemsOf(answer) }).toMatchObject({ status: 400 });
      expect(answer.body.details).toEqual([
        expect.objectContaining({ path: 'title', reason: expect.stringMatching(/NUL/) }),
      ]);
      expect(await reportCount()).toBe(before);
    });

    it('a NUL or lone surrogate in a STIX or MISP field: 400, nothing stored', async () => {
      const before = await reportCount();
      const stix = structuredClone(STIX_BUNDLE_EXAMPLE) as { objects: Record<string, unknown>[] };
      stix.objects[0]!.description = 'bad\u0000note';
      const stixAnswer = await postJson('/api/v1/reports/stix', stix);
      expect({ status: stixAnswer.status, shown: problemsOf(stixAnswer) }).toMatchObject({ status: 400 });
      const misp = mispEvent(2);
      (misp.Event.Attribute[0] as Record<string, unknown>).comment = 'bad \uD800 note';
      const mispAnswer = await postJson('/api/v1/reports/misp', misp);
      expect({ status: mispAnswer.status, shown: problemsOf(mispAnswer) }).toMatchObject({ status: 400 });
      expect(await reportCount()).toBe(before);
    });

    it('CSV rows with a NUL, or a note cut inside a multi-byte character, are skipped and listed', async () => {
      const csv = Buffer.concat([
        Buffer.from(csvOf('ipv4,203.0.113.5,,,,fine', 'ipv4,203.0.113.6,,,,bad\u0000note')),
        Buffer.from('ipv4,203.0.113.7,,,,caf'),
        Buffer.from('é', 'utf8').subarray(0, 1),
        Buffer.from('\nipv4,203.0.113.8,,,,also fine\n'),
      ]);
      const answer = await postCsv(csv);
      expect({ status: answer.status, shown: problemsOf(answer) }).toMatchObject({ status: 202 });
      const report = await context.dataSource
        .getRepository(IncidentReportEntity)
        .findOneByOrFail({ id: answer.body.id as string });
      expect(report.indicatorCount).toBe(2);
      expect(report.skipped).toEqual([
        expect.objectContaining({ path: 'line 3', reason: expect.stringMatching(/NUL/) }),
        expect.objectContaining({ path: 'line 4', reason: expect.stringMatching(/UTF-8/) }),
      ]);
    });
  });

  describe('deep JSON is refused before anything recurses into it', () => {
    it.each(['/api/v1/reports', '/api/v1/reports/stix', '/api/v1/reports/misp'])(
      '10,000 levels at %s: 400',
      async (path) => {
        const answer = await postJson(path, deepJson(10_000));
        expect({ status: answer.status, shown: problemsOf(answer) }).toMatchObject({ status: 400 });
      },
    );
  });

  describe('error answers stay small', () => {
    it('a STIX bundle of 5,000 broken objects: checking stops at 100 problems and says so', async () => {
      const objects = Array.from({ length: 5000 }, (_, index) => ({ ...indicatorObject(index), pattern: undefined }));
      const answer = await postJson('/api/v1/reports/stix', {
        type: 'bundle',
        id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d',
        objects,
      });
      expect({ status: answer.status, shown: problemsOf(answer) }).toMatchObject({ status: 400 });
      expect(answer.body.details.length).toBeLessThanOrEqual(101);
      expect(answer.body.details.at(-1).reason).toMatch(/\d+ more objects not checked/);
      expect(JSON.stringify(answer.body).length).toBeLessThan(100_000);
    });

    it('5,000 broken MISP events list 100 problems', async () => {
      const events = Array.from({ length: 5000 }, () => ({ Event: { info: 42, Attribute: 'none' } }));
      const answer = await postJson('/api/v1/reports/misp', events);
      expect({ status: answer.status, shown: problemsOf(answer) }).toMatchObject({ status: 400 });
      expect(answer.body.details.length).toBeLessThanOrEqual(101);
    });

    it('a JSON report of broken indicators lists at most 100 problems', async () => {
      const indicators = Array.from({ length: MAX_INDICATORS }, () => ({ type: 'ipv4', value: 'not an address' }));
      const answer = await postJson('/api/v1/reports', { ...JSON_REPORT_EXAMPLE, indicators });
      expect(answer.status).toBe(400);
      expect(answer.body.details.length).toBeLessThanOrEqual(101);
    });
  });

  describe('the indicator limit holds on every format', () => {
    it('MISP over the limit: 413 with the reason', async () => {
      const answer = await postJson('/api/v1/reports/misp', mispEvent(MAX_INDICATORS + 1));
      expect({ status: answer.status, shown: problemsOf(answer) }).toMatchObject({ status: 413 });
      expect(answer.body.message).toMatch(new RegExp(`at most ${MAX_INDICATORS} indicators`));
    });

    it('STIX over the limit: 413 with the reason', async () => {
      const objects = Array.from({ length: MAX_INDICATORS + 1 }, (_, index) => indicatorObject(index));
      const answer = await postJson('/api/v1/reports/stix', {
        type: 'bundle',
        id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d',
        objects,
      });
      expect({ status: answer.status, shown: problemsOf(answer) }).toMatchObject({ status: 413 });
      expect(answer.body.message).toMatch(new RegExp(`at most ${MAX_INDICATORS} indicators`));
    });

    it('CSV over the limit: 413 with the reason, nothing stored', async () => {
      const before = await reportCount();
      const rows = Array.from({ length: MAX_INDICATORS + 1 }, (_, index) => `ipv4,198.51.100.${index},,,,`);
      const answer = await postCsv(csvOf(...rows));
      expect({ status: answer.status, shown: problemsOf(answer) }).toMatchObject({ status: 413 });
      expect(await reportCount()).toBe(before);
    });

    it('exactly at the limit is accepted', async () => {
      const objects = Array.from({ length: MAX_INDICATORS }, (_, index) => indicatorObject(index));
      const answer = await postJson('/api/v1/reports/stix', {
        type: 'bundle',
        id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d',
        objects,
      });
      expect({ status: answer.status, shown: problemsOf(answer) }).toMatchObject({ status: 202 });
    });
  });

  describe('duplicate keys that change meaning are refused', () => {
    it('"tlp" twice in a JSON report: 400', async () => {
      const body = JSON.stringify({ ...JSON_REPORT_EXAMPLE, tlp: 'red' }).replace(
        '"tlp":"red"',
        '"tlp":"red","tlp":"clear"',
      );
      const answer = await postJson('/api/v1/reports', body);
      expect({ status: answer.status, shown: problemsOf(answer) }).toMatchObject({ status: 400 });
      expect(problemsOf(answer)).toMatch(/tlp/);
    });

    it('"object_marking_refs" twice in a STIX object: 400', async () => {
      const text = JSON.stringify(STIX_BUNDLE_EXAMPLE).replace(
        '"object_marking_refs":',
        '"object_marking_refs":["marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"],"object_marking_refs":',
      );
      expect(text).toContain('"object_marking_refs":["marking-definition--94868c89');
      const answer = await postJson('/api/v1/reports/stix', text);
      expect({ status: answer.status, shown: problemsOf(answer) }).toMatchObject({ status: 400 });
      expect(problemsOf(answer)).toMatch(/object_marking_refs/);
    });
  });

  describe('idempotency under a race', () => {
    const race = async (bodies: (index: number) => object) =>
      Promise.all(
        Array.from({ length: 50 }, (_, index) =>
          request(app.getHttpServer())
            .post('/api/v1/reports')
            .set('X-Api-Key', apiKey)
            .set('Idempotency-Key', `race-${bodies.name}-${process.pid}`)
            .send(bodies(index)),
        ),
      );

    it('50 concurrent requests, one key, different bodies: one 202 and 49 409', async () => {
      const answers = await race(function different(index: number) {
        return { ...JSON_REPORT_EXAMPLE, title: `Report ${index}` };
      });
      const statuses = answers.map((answer) => answer.status).sort();
      expect(statuses.filter((status) => status === 202)).toHaveLength(1);
      expect(statuses.filter((status) => status === 409)).toHaveLength(49);
    });

    it('50 concurrent requests, one key, the same body: 50 answers with one id', async () => {
      const answers = await race(function same() {
        return JSON_REPORT_EXAMPLE;
      });
      expect(answers.map((answer) => answer.status)).toEqual(Array(50).fill(202));
      expect(new Set(answers.map((answer) => answer.body.id)).size).toBe(1);
    });

    it('over CSV: 30 concurrent uploads, one key, different bodies: one 202 and 29 409', async () => {
      const answers = await Promise.all(
        Array.from({ length: 30 }, (_, index) =>
          request(app.getHttpServer())
            .post('/api/v1/reports/csv')
            .query(csvQuery)
            .set('X-Api-Key', apiKey)
            .set('Idempotency-Key', `csv-race-${process.pid}`)
            .set('Content-Type', 'text/csv')
            .send(csvOf(`ipv4,198.51.100.${index},,,,`)),
        ),
      );
      const statuses = answers.map((answer) => answer.status);
      expect(statuses.filter((status) => status === 202)).toHaveLength(1);
      expect(statuses.filter((status) => status === 409)).toHaveLength(29);
    });
  });

  describe('slow uploads', () => {
    /** Opens an upload that sends its headers and a first row, then trickles a byte every `everyMs`. */
    const trickle = (port: number, everyMs: number) => {
      const upload = http.request({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: `/api/v1/reports/csv?${new URLSearchParams(csvQuery).toString()}`,
        headers: { 'X-Api-Key': apiKey, 'Content-Type': 'text/csv', 'Transfer-Encoding': 'chunked' },
      });
      const answered = new Promise<number>((resolve) => {
        upload.on('response', (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        });
        upload.on('error', () => resolve(-1));
      });
      upload.write('type,value,first_seen,last_seen,confidence,note\nipv4,203.0.113.5,,,,');
      const timer = setInterval(() => upload.write('x'), everyMs);
      return {
        answered,
        stop: () => {
          clearInterval(timer);
          upload.destroy();
        },
      };
    };

    it('ten trickling uploads hold no database connection: health and other submissions answer; each gets 408', async () => {
      const server = app.getHttpServer() as http.Server;
      if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      const uploads = Array.from({ length: 10 }, () => trickle(port, 300));
      try {
        await new Promise((resolve) => setTimeout(resolve, 500));
        const started = Date.now();
        const health = await request(server).get('/health');
        expect(health.status).toBe(200);
        const other = await postCsv(csvOf('ipv4,198.51.100.9,,,,'), otherKey);
        expect(other.status).toBe(202);
        const status = await request(server).get(`/api/v1/reports/${other.body.id}`).set('X-Api-Key', otherKey);
        expect(status.status).toBe(200);
        expect(Date.now() - started).toBeLessThan(BODY_DEADLINE_SECONDS * 1000);
        const statuses = await Promise.all(uploads.map((upload) => upload.answered));
        expect(statuses).toEqual(Array(10).fill(408));
      } finally {
        uploads.forEach((upload) => upload.stop());
      }
    });
  });

  describe('docs', () => {
    it('/docs is not served when DOCS_ENABLED is off (the production default)', async () => {
      const closed = await bootIngestApp({ ...context.config, http: { ...context.config.http, docsEnabled: false } });
      try {
        await request(closed.getHttpServer()).get('/docs').expect(404);
        await request(closed.getHttpServer()).get('/docs-json').expect(404);
      } finally {
        await closed.close();
      }
      await request(app.getHttpServer()).get('/docs-json').expect(200);
    });
  });

  describe('headers', () => {
    it('no X-Powered-By; helmet headers on every answer', async () => {
      const answer = await request(app.getHttpServer()).get('/health');
      expect(answer.headers['x-powered-by']).toBeUndefined();
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['x-frame-options']).toBeDefined();
    });
  });
});
