import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { AddressInfo } from 'node:net';
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { consoleBuildDir } from '../../apps/portal/src/console/console-assets';
import { createOrganisationWithApiKey } from '../../scripts/lib/organisation.factory';
import { reportBody } from '../factories/report.factory';
import { bootIngestApp } from '../support/ingest-app';
import { bootPortalApp } from '../support/portal-app';
import { TestContext, createTestContext } from '../support/test-context';

/** The portal serves the built console (`npm test` builds it first) and forwards its submissions to ingest. */
describe('console on the portal: pages, assets and submissions forwarded to ingest', () => {
  let context: TestContext;
  let ingest: NestExpressApplication;
  let portal: NestExpressApplication;
  let apiKey: string;
  const html = 'text/html,application/xhtml+xml';

  beforeAll(async () => {
    if (!consoleBuildDir()) throw new Error('no console build: npm run build:console');
    context = await createTestContext();
    ingest = await bootIngestApp(context.config);
    await ingest.listen(0, '127.0.0.1');
    const ingestUrl = `http://127.0.0.1:${(ingest.getHttpServer().address() as AddressInfo).port}`;
    portal = await bootPortalApp({ ...context.config, ingest: { ...context.config.ingest, url: ingestUrl } });
    ({ apiKey } = await createOrganisationWithApiKey(context.dataSource));
  });

  afterAll(async () => {
    await portal?.close();
    await ingest?.close();
    await context?.cleanup();
  });

  it.each(['/', '/indicators', '/reports/6f1d8a8e-2f64-4a43-9d44-1b1f3c1c2a10', '/sign-in'])(
    'a browser opening %s gets the console page, never cached',
    async (path) => {
      const response = await request(portal.getHttpServer()).get(path).set('Accept', html).expect(200);
      expect(response.text).toContain('<div id="root"></div>');
      expect(response.headers['cache-control']).toBe('no-cache');
    },
  );

  it('serves the hashed assets for a year', async () => {
    const dir = consoleBuildDir()!;
    const script = readdirSync(join(dir, 'assets')).find((name) => name.endsWith('.js'))!;
    const response = await request(portal.getHttpServer()).get(`/assets/${script}`).expect(200);
    expect(response.headers['cache-control']).toContain('immutable');
    await request(portal.getHttpServer()).get('/assets/no-such-file.js').expect(404);
    await request(portal.getHttpServer()).get('/assets/..%2Findex.html').expect(404);
  });

  it('leaves the API, the docs and the mailed link pages to the portal', async () => {
    const api = await request(portal.getHttpServer()).get('/api/v1/no-such-route').set('Accept', html).expect(404);
    expect(api.body).toMatchObject({ error: 'NOT_FOUND' });
    const linkPage = await request(portal.getHttpServer()).get('/directory/confirm?token=x').set('Accept', html);
    expect(linkPage.status).toBe(200);
    expect(linkPage.text).not.toContain('<div id="root"></div>');
    await request(portal.getHttpServer()).get('/api/v1/auth/me').set('Accept', html).expect(401);
  });

  it('forwards report submissions and status to ingest, body and headers as sent', async () => {
    const submitted = await request(portal.getHttpServer())
      .post('/ingest/api/v1/reports')
      .set('X-Api-Key', apiKey)
      .set('Idempotency-Key', 'console-forward-1')
      .send(reportBody({ title: 'Forwarded by the portal' }))
      .expect(202);
    const id = (submitted.body as { id: string }).id;
    const status = await request(portal.getHttpServer())
      .get(`/ingest/api/v1/reports/${id}`)
      .set('X-Api-Key', apiKey)
      .expect(200);
    expect(status.body).toMatchObject({ id, title: 'Forwarded by the portal' });
    // The idempotency key travelled: the same submission again answers the first report.
    const again = await request(portal.getHttpServer())
      .post('/ingest/api/v1/reports')
      .set('X-Api-Key', apiKey)
      .set('Idempotency-Key', 'console-forward-1')
      .send(reportBody({ title: 'Forwarded by the portal' }))
      .expect(202);
    expect(again.body).toMatchObject({ id });
    expect(again.headers['idempotent-replayed']).toBe('true');
  });

  it('forwards nothing but the report routes, and refuses unauthenticated submissions as ingest does', async () => {
    await request(portal.getHttpServer()).get('/ingest/health').expect(404);
    await request(portal.getHttpServer()).post('/ingest/api/v1/reports').send(reportBody()).expect(401);
  });

  it('answers 503 when ingest cannot be reached', async () => {
    const unreachable = await bootPortalApp({
      ...context.config,
      ingest: { ...context.config.ingest, url: 'http://127.0.0.1:9' },
    });
    try {
      const response = await request(unreachable.getHttpServer())
        .post('/ingest/api/v1/reports')
        .set('X-Api-Key', apiKey)
        .send(reportBody())
        .expect(503);
      expect(response.body).toMatchObject({ error: 'SERVICE_UNAVAILABLE' });
    } finally {
      await unreachable.close();
    }
  });
});
