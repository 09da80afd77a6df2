import { NestExpressApplication } from '@nestjs/platform-express';
import { request as httpRequest } from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { createOrganisationWithApiKey } from '../../scripts/lib/organisation.factory';
import { MISP_EVENT_EXAMPLE, STIX_BUNDLE_EXAMPLE } from '../../apps/ingest/src/reports/dto/openapi-examples';
import { reportBody } from '../factories/report.factory';
import { bootIngestApp } from '../support/ingest-app';
import { TestContext, createTestContext } from '../support/test-context';

const REPORT_CSV = ['type,value,first_seen,last_seen,confidence,note', 'domain,scanner.example.org,,,,', ''].join('\n');
const CSV_QUERY = 'title=Scanning%20feed&classification=information-gathering&type=scanner&severity=low&tlp=green';

describe('ingest: rate limit and API docs', () => {
  let context: TestContext;
  let app: NestExpressApplication;

  beforeAll(async () => {
    context = await createTestContext({ INGEST_RATE_LIMIT_PER_MINUTE: '3', INGEST_READ_RATE_LIMIT_PER_MINUTE: '5' });
    app = await bootIngestApp(context.config);
  });

  afterAll(async () => {
    await app?.close();
    await context?.cleanup();
  });

  it('429 with Retry-After once an organisation exceeds its rate; other organisations are unaffected', async () => {
    const busy = await createOrganisationWithApiKey(context.dataSource);
    const calm = await createOrganisationWithApiKey(context.dataSource);
    const submit = (apiKey: string) =>
      request(app.getHttpServer()).post('/api/v1/reports').set('X-Api-Key', apiKey).send(reportBody());
    for (let i = 0; i < 3; i++) await submit(busy.apiKey).expect(202);
    const limited = await submit(busy.apiKey).expect(429);
    expect(limited.body).toMatchObject({
      error: 'RATE_LIMITED',
      message: expect.stringContaining('3 submissions per 60 s'),
    });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    await submit(calm.apiKey).expect(202);
  });

  it('counts submissions in every format against one limit, and reads against their own', async () => {
    const { apiKey } = await createOrganisationWithApiKey(context.dataSource);
    const server = app.getHttpServer();
    const listReports = () => request(server).get('/api/v1/reports').set('X-Api-Key', apiKey);
    // Polling before and between submissions uses none of the submission limit.
    for (let i = 0; i < 3; i++) await listReports().expect(200);
    const first = await request(server).post('/api/v1/reports').set('X-Api-Key', apiKey).send(reportBody()).expect(202);
    await request(server).get(`/api/v1/reports/${first.body.id}`).set('X-Api-Key', apiKey).expect(200);
    await request(server)
      .post(`/api/v1/reports/csv?${CSV_QUERY}`)
      .set('X-Api-Key', apiKey)
      .set('Content-Type', 'text/csv')
      .send(REPORT_CSV)
      .expect(202);
    await request(server).post('/api/v1/reports/stix').set('X-Api-Key', apiKey).send(STIX_BUNDLE_EXAMPLE).expect(202);
    // The fourth submission is refused whatever its format: the limit is the organisation's, not each route's.
    const submissionsLimited = await request(server)
      .post('/api/v1/reports/misp')
      .set('X-Api-Key', apiKey)
      .send(MISP_EVENT_EXAMPLE)
      .expect(429);
    expect(submissionsLimited.body).toMatchObject({
      error: 'RATE_LIMITED',
      message: expect.stringContaining('3 submissions per 60 s'),
    });
    // Reading goes on while submitting is refused: four reads so far, the fifth is the last allowed.
    await listReports().expect(200);
    const readsLimited = await listReports().expect(429);
    expect(readsLimited.body).toMatchObject({
      error: 'RATE_LIMITED',
      message: expect.stringContaining('5 reads per 60 s'),
    });
    expect(Number(readsLimited.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('says 100 Continue only when it reads the body: a refused submission is never sent', async () => {
    await app.listen(0, '127.0.0.1');
    const port = (app.getHttpServer().address() as AddressInfo).port;
    const { apiKey } = await createOrganisationWithApiKey(context.dataSource);
    // CSV is streamed by its handler, after the rate limit; a JSON body is parsed (read) before any check.
    const body = 'type,value\nipv4,198.51.100.7\n';
    /** Sends the headers alone, and the body only if ingest says 100 Continue. */
    const submitExpectingContinue = () =>
      new Promise<{ continued: boolean; status: number }>((resolve, reject) => {
        let continued = false;
        const sent = httpRequest(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/api/v1/reports/csv?title=Feed&classification=other&type=other&severity=low&tlp=green',
            headers: {
              'x-api-key': apiKey,
              'content-type': 'text/csv',
              'content-length': Buffer.byteLength(body),
              expect: '100-continue',
            },
          },
          (answer) => {
            answer.resume();
            answer.on('end', () => resolve({ continued, status: answer.statusCode ?? 0 }));
          },
        );
        sent.on('continue', () => {
          continued = true;
          sent.end(body);
        });
        sent.on('error', reject);
        sent.flushHeaders();
      });
    for (let i = 0; i < 3; i++) expect(await submitExpectingContinue()).toEqual({ continued: true, status: 202 });
    expect(await submitExpectingContinue()).toEqual({ continued: false, status: 429 });
  });

  it('serves OpenAPI at /docs with every submission format', async () => {
    const spec = await request(app.getHttpServer()).get('/docs-json').expect(200);
    expect(Object.keys(spec.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/reports',
        '/api/v1/reports/stix',
        '/api/v1/reports/csv',
        '/api/v1/reports/misp',
        '/api/v1/reports/{id}',
      ]),
    );
    expect(spec.body.components.securitySchemes['api-key']).toMatchObject({
      type: 'apiKey',
      in: 'header',
      name: 'X-Api-Key',
    });
    await request(app.getHttpServer()).get('/docs').expect(200);
  });
});
