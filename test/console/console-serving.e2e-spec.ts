import { readdirSync } from 'node:fs';
import { IncomingHttpHeaders, IncomingMessage, ServerResponse, request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { AddressInfo, Socket } from 'node:net';
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { consoleBuildDir } from '../../apps/portal/src/console/console-assets';
import { createOrganisationWithApiKey } from '../../scripts/lib/organisation.factory';
import { reportBody } from '../factories/report.factory';
import { bootIngestApp } from '../support/ingest-app';
import { bootPortalApp } from '../support/portal-app';
import { TestContext, createTestContext } from '../support/test-context';

const urlOf = (app: NestExpressApplication): string =>
  `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;

/**
 * Uploads `body` in 64 KiB pieces as a browser streams a file, and answers what comes back: the answer may arrive
 * (and the connection close) before the whole body was sent, so a failure to write after it is no failure here.
 */
function upload(
  url: string,
  headers: Record<string, string>,
  body: Buffer,
): Promise<{ status: number; headers: IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const sent = httpRequest(
      url,
      { method: 'POST', headers: { ...headers, 'content-length': body.length } },
      (answer) => {
        answered = true;
        let text = '';
        answer.setEncoding('utf8');
        answer.on('data', (chunk: string) => (text += chunk));
        answer.on('end', () => resolve({ status: answer.statusCode ?? 0, headers: answer.headers, text }));
        answer.on('error', reject);
      },
    );
    sent.on('error', (error) => {
      if (!answered) reject(error);
    });
    let offset = 0;
    const writeMore = (): void => {
      while (offset < body.length && !sent.destroyed) {
        const piece = body.subarray(offset, offset + 64 * 1024);
        offset += piece.length;
        if (!sent.write(piece)) return void sent.once('drain', writeMore);
      }
      if (!sent.destroyed) sent.end();
    };
    writeMore();
  });
}

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

  it('names an icon the page can load (no 404 for /favicon.ico in every browser tab)', async () => {
    const page = await request(portal.getHttpServer()).get('/').set('Accept', html).expect(200);
    const icon = /<link rel="icon" type="image\/svg\+xml" href="([^"]+)"/.exec(page.text)?.[1];
    expect(icon).toMatch(/^\/assets\/favicon-[\w-]+\.svg$/);
    const response = await request(portal.getHttpServer()).get(icon!).expect(200);
    expect(response.headers['content-type']).toContain('image/svg+xml');
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

  describe('when ingest refuses an upload before it has arrived', () => {
    const csvPath =
      '/ingest/api/v1/reports/csv?title=Feed&classification=information-gathering&type=scanner&severity=low&tlp=green';
    const line = 'ipv4,198.51.100.7\n';
    // Multi-MB, as a console upload of a feed: still being sent when ingest answers.
    const largeCsv = Buffer.from(`type,value\n${line.repeat((8 * 1024 * 1024) / line.length)}`);
    let throttled: NestExpressApplication;
    let forwarding: NestExpressApplication;

    beforeAll(async () => {
      // Ingest allowing one submission a minute per route: it refuses the next as soon as its headers arrive.
      const config = { ...context.config, ingest: { ...context.config.ingest, rateLimitPerMinute: 1 } };
      throttled = await bootIngestApp(config);
      await throttled.listen(0, '127.0.0.1');
      forwarding = await bootPortalApp({ ...config, ingest: { ...config.ingest, url: urlOf(throttled) } });
      await forwarding.listen(0, '127.0.0.1');
    });

    afterAll(async () => {
      await forwarding?.close();
      await throttled?.close();
    });

    /** The bytes ingest reads from connections opened from now on, as the function answers when called. */
    const bytesReadBy = (app: NestExpressApplication): (() => number) => {
      const sockets: Socket[] = [];
      const track = (socket: Socket): number => sockets.push(socket);
      app.getHttpServer().on('connection', track);
      return () => {
        app.getHttpServer().removeListener('connection', track);
        return sockets.reduce((total, socket) => total + socket.bytesRead, 0);
      };
    };

    /** Uses the organisation's one CSV submission of the minute, then uploads the large CSV through the portal. */
    const throttledUpload = async () => {
      const { apiKey: key } = await createOrganisationWithApiKey(context.dataSource);
      await request(forwarding.getHttpServer())
        .post(csvPath)
        .set('X-Api-Key', key)
        .set('Content-Type', 'text/csv')
        .send(`type,value\n${line}`)
        .expect(202);
      return upload(`${urlOf(forwarding)}${csvPath}`, { 'x-api-key': key, 'content-type': 'text/csv' }, largeCsv);
    };

    const expectIngestRefusal = (answer: Awaited<ReturnType<typeof throttledUpload>>): void => {
      expect({ status: answer.status, body: JSON.parse(answer.text) as unknown }).toEqual({
        status: 429,
        body: expect.objectContaining({
          error: 'RATE_LIMITED',
          message: expect.stringMatching(/^Rate limit of 1 submissions per 60 s exceeded; retry after \d+ s$/),
        }),
      });
      expect(answer.headers['retry-after']).toMatch(/^\d+$/);
    };

    it('passes on its 429 with the reason and Retry-After, and never sends ingest the refused body', async () => {
      const read = bytesReadBy(throttled);
      expectIngestRefusal(await throttledUpload());
      // Ingest said no 100 Continue: the 8 MiB were never sent to it (the small accepted submission was).
      expect(read()).toBeLessThan(64 * 1024);
    });

    it('passes them on when ingest closes its connection after answering, not a 503', async () => {
      // As ingest does while shutting down, or a proxy before it that keeps no connection: had the portal been
      // sending the rest of the body, the connection would close with a reset and its next write fail.
      const closeAfterAnswer = (_request: IncomingMessage, response: ServerResponse): void =>
        void response.setHeader('Connection', 'close');
      throttled.getHttpServer().prependListener('request', closeAfterAnswer);
      try {
        for (let attempt = 0; attempt < 10; attempt++) expectIngestRefusal(await throttledUpload());
      } finally {
        throttled.getHttpServer().removeListener('request', closeAfterAnswer);
      }
    });
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
