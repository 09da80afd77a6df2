import { NestExpressApplication } from '@nestjs/platform-express';
import { request as httpRequest } from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { createOrganisationWithApiKey } from '../../scripts/lib/organisation.factory';
import { reportBody } from '../factories/report.factory';
import { bootIngestApp } from '../support/ingest-app';
import { TestContext, createTestContext } from '../support/test-context';

describe('ingest: rate limit and API docs', () => {
  let context: TestContext;
  let app: NestExpressApplication;

  beforeAll(async () => {
    context = await createTestContext({ INGEST_RATE_LIMIT_PER_MINUTE: '3' });
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
