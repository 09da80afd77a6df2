import { NestExpressApplication } from '@nestjs/platform-express';
import { IncidentReportEntity, ReportIndicatorEntity, ReportStatus } from '@vigia/database';
import { JobName, QueueName, queueKeyPrefix } from '@vigia/queue';
import { Queue } from 'bullmq';
import request from 'supertest';
import { redisConnectionOptions } from '@vigia/common';
import { createOrganisationWithApiKey } from '../../scripts/lib/organisation.factory';
import { reportBody } from '../factories/report.factory';
import { bootIngestApp } from '../support/ingest-app';
import { TestContext, createTestContext } from '../support/test-context';

describe('ingest: JSON reports', () => {
  let context: TestContext;
  let app: NestExpressApplication;
  let apiKey: string;
  let organisationId: string;
  let queue: Queue;

  beforeAll(async () => {
    context = await createTestContext({ INGEST_JSON_LIMIT_MB: '1', INGEST_MAX_INDICATORS: '50' });
    app = await bootIngestApp(context.config);
    const created = await createOrganisationWithApiKey(context.dataSource);
    apiKey = created.apiKey;
    organisationId = created.organisation.id;
    queue = new Queue(QueueName.Reports, {
      connection: redisConnectionOptions(context.config.redis.url),
      prefix: queueKeyPrefix(context.config.redis.prefix),
    });
  });

  afterAll(async () => {
    await queue?.close();
    await app?.close();
    await context?.cleanup();
  });

  const submit = (body: unknown, key = apiKey) =>
    request(app.getHttpServer())
      .post('/api/v1/reports')
      .set('X-Api-Key', key)
      .send(body as object);

  it('accepts a report with 202, stores it raw with canonical indicators, and queues one job', async () => {
    const response = await submit(reportBody()).expect(202);
    expect(response.body).toEqual({ id: expect.any(String), status_url: `/api/v1/reports/${response.body.id}` });
    const id = response.body.id as string;

    const report = await context.dataSource.getRepository(IncidentReportEntity).findOneByOrFail({ id });
    expect(report).toMatchObject({
      organisationId,
      status: ReportStatus.Received,
      rsitClassification: 'fraud',
      rsitType: 'phishing',
      tlp: 'amber',
      indicatorCount: 4,
      countryTags: ['UY'],
    });
    expect(report.enqueuedAt).not.toBeNull();

    const rows = await context.dataSource
      .getRepository(ReportIndicatorEntity)
      .find({ where: { reportId: id }, order: { batch: 'ASC', position: 'ASC' } });
    expect(rows.map((row) => [row.type, row.value, row.isCidr])).toEqual([
      ['domain', 'login-dgi.example', false],
      ['ipv4', '198.51.100.7', false],
      ['url', 'https://login-dgi.example/auth?x=1', false],
      ['sha256', 'a'.repeat(64), false],
    ]);
    expect(rows[0]).toMatchObject({ confidence: 90, note: 'landing page' });

    const [payload] = await context.dataSource.query(
      `SELECT p.content_type, p.size_bytes, string_agg(encode(c.data, 'escape'), '' ORDER BY c.seq) AS body
         FROM report_payloads p JOIN report_payload_chunks c USING (report_id) WHERE report_id = $1
        GROUP BY p.content_type, p.size_bytes`,
      [id],
    );
    expect(payload.content_type).toContain('application/json');
    expect(JSON.parse(payload.body).indicators[0].value).toBe('login-dgi[.]example');

    const job = await queue.getJob(id);
    expect(job?.name).toBe(JobName.NormaliseReport);
    expect(job?.data).toEqual({ reportId: id });
  });

  it('shows the report status to its organisation only', async () => {
    const { body } = await submit(reportBody()).expect(202);
    const status = await request(app.getHttpServer()).get(body.status_url).set('X-Api-Key', apiKey).expect(200);
    expect(status.body).toMatchObject({
      id: body.id,
      status: 'received',
      queued: true,
      format: 'json',
      counts: { indicators: 4, skipped: 0 },
    });
    const other = await createOrganisationWithApiKey(context.dataSource);
    await request(app.getHttpServer()).get(body.status_url).set('X-Api-Key', other.apiKey).expect(404);
  });

  it('returns the first answer for a retried Idempotency-Key, and refuses the key for other content', async () => {
    const first = await submit(reportBody()).set('Idempotency-Key', 'retry-1').expect(202);
    const again = await submit(reportBody()).set('Idempotency-Key', 'retry-1').expect(202);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const count = await context.dataSource
      .getRepository(IncidentReportEntity)
      .countBy({ organisationId, idempotencyKey: 'retry-1' });
    expect(count).toBe(1);
    const different = await submit(reportBody({ title: 'other' }))
      .set('Idempotency-Key', 'retry-1')
      .expect(409);
    expect(different.body.error).toBe('CONFLICT');
  });

  it('keeps one report when the same Idempotency-Key races', async () => {
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => submit(reportBody()).set('Idempotency-Key', 'race-1')),
    );
    expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202, 202, 202]);
    expect(new Set(answers.map((answer) => answer.body.id)).size).toBe(1);
  });

  describe('bad input', () => {
    it('401 without or with a wrong API key', async () => {
      const missing = await request(app.getHttpServer()).post('/api/v1/reports').send(reportBody()).expect(401);
      expect(missing.body).toMatchObject({
        error: 'UNAUTHENTICATED',
        message: 'Missing access token or X-Api-Key header',
      });
      await submit(reportBody(), 'vigia_wrong').expect(401);
    });

    it('400 listing every problem with path, value and reason', async () => {
      const response = await submit(
        reportBody({
          tlp: 'purple',
          classification: 'fraud',
          type: 'ddos',
          indicators: [
            { type: 'ipv4', value: '10.0.0.1/8' },
            { type: 'sha256', value: 'abc' },
            { type: 'mutex', value: 'x' },
            { type: 'domain', value: 'good.example' },
            { type: 'email', value: 'not-an-email' },
          ],
        }),
      ).expect(400);
      expect(response.body.error).toBe('VALIDATION_FAILED');
      const byPath = Object.fromEntries(
        (response.body.details as { path: string; value: unknown; reason: string }[]).map((d) => [d.path, d]),
      );
      expect(Object.keys(byPath).sort()).toEqual(
        [
          'indicators[0].value',
          'indicators[1].value',
          'indicators[2].type',
          'indicators[4].value',
          'tlp',
          'type',
        ].sort(),
      );
      expect(byPath['indicators[0].value']).toMatchObject({
        value: '10.0.0.1/8',
        reason: expect.stringMatching(/host bits/),
      });
      expect(byPath['indicators[1].value'].reason).toMatch(/64/);
      expect(byPath['tlp']).toMatchObject({ value: 'purple', reason: expect.stringContaining('amber+strict') });
      expect(byPath['type'].reason).toMatch(/RSIT type of classification "fraud"/);
    });

    it('400 for TLP:RED without recipients, and for unknown recipients', async () => {
      const none = await submit(reportBody({ tlp: 'red' })).expect(400);
      expect(none.body.details[0]).toMatchObject({ path: 'tlp_recipients' });
      const unknown = await submit(
        reportBody({ tlp: 'TLP:RED', tlp_recipients: ['0b7c5c3c-1c1a-4f6e-9f43-1f5f2a4e9d10'] }),
      ).expect(400);
      expect(unknown.body.details[0]).toMatchObject({ path: 'tlp_recipients[0]', reason: 'no such organisation' });
      await submit(reportBody({ tlp: 'red', tlp_recipients: [organisationId] })).expect(202);
    });

    it('400 for malformed JSON', async () => {
      const response = await request(app.getHttpServer())
        .post('/api/v1/reports')
        .set('X-Api-Key', apiKey)
        .set('Content-Type', 'application/json')
        .send('{"title": ')
        .expect(400);
      expect(response.body).toMatchObject({ error: 'VALIDATION_FAILED', message: expect.stringContaining('JSON') });
    });

    it('415 for a wrong content type', async () => {
      const response = await request(app.getHttpServer())
        .post('/api/v1/reports')
        .set('X-Api-Key', apiKey)
        .set('Content-Type', 'text/plain')
        .send('hello')
        .expect(415);
      expect(response.body).toMatchObject({
        error: 'UNSUPPORTED_MEDIA_TYPE',
        message: expect.stringContaining('application/json'),
      });
    });

    it('413 for a body over the limit and for too many indicators', async () => {
      const big = await submit(reportBody({ description: 'x'.repeat(1024 * 1024 + 10) })).expect(413);
      expect(big.body.error).toBe('PAYLOAD_TOO_LARGE');
      const many = Array.from({ length: 51 }, (_, i) => ({ type: 'ipv4', value: `192.0.2.${i}` }));
      const tooMany = await submit(reportBody({ indicators: many })).expect(413);
      expect(tooMany.body.message).toMatch(/at most 50 indicators/);
    });

    it('400 for a non-UUID status id and 404 for an unknown one', async () => {
      await request(app.getHttpServer()).get('/api/v1/reports/nope').set('X-Api-Key', apiKey).expect(400);
      await request(app.getHttpServer())
        .get('/api/v1/reports/0b7c5c3c-1c1a-4f6e-9f43-1f5f2a4e9d10')
        .set('X-Api-Key', apiKey)
        .expect(404);
    });
  });
});
