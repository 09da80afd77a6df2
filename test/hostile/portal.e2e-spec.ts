import http from 'node:http';
import { AddressInfo } from 'node:net';
import { NestExpressApplication } from '@nestjs/platform-express';
import { SubscriptionEntity, UserRole } from '@vigia/database';
import request from 'supertest';
import { createOrganisation } from '../../scripts/lib/organisation.factory';
import { createPerson } from '../support/access-token';
import { bootPortalApp } from '../support/portal-app';
import { TestContext, createTestContext } from '../support/test-context';

const deepJson = (levels: number): string => `${'{"nested":'.repeat(levels)}"bottom"${'}'.repeat(levels)}`;
const METRICS_TOKEN = 'metrics-token-for-tests-0123456789';

describe('hostile input and exposure on the portal', () => {
  let context: TestContext;
  let app: NestExpressApplication;
  let analyst: string;

  beforeAll(async () => {
    context = await createTestContext({
      HTTP_BODY_TIMEOUT_SECONDS: '1',
      CORS_ORIGINS: 'https://console.cert.example',
      METRICS_TOKEN,
    });
    app = await bootPortalApp(context.config);
    const organisation = await createOrganisation(context.dataSource, { name: 'CERT Alfa' });
    analyst = (await createPerson(app, organisation.id, UserRole.Analyst)).authorization;
  });

  afterAll(async () => {
    await app?.close();
    await context?.cleanup();
  });

  const http_ = () => request(app.getHttpServer());
  const subscription = (name: string) => ({ name, channels: [{ type: 'stream' }] });

  it.each([
    ['a NUL', 'Duty\u0000desk', /NUL/],
    ['a lone surrogate', 'Duty \uD800 desk', /surrogate/],
  ])('a subscription name with %s: 400 naming it, nothing stored', async (_, name, reason) => {
    const before = await context.dataSource.getRepository(SubscriptionEntity).count();
    const answer = await http_().post('/api/v1/subscriptions').set('Authorization', analyst).send(subscription(name));
    expect({ status: answer.status, body: answer.body as unknown }).toMatchObject({
      status: 400,
      body: { details: [expect.objectContaining({ path: 'name', reason: expect.stringMatching(reason) })] },
    });
    expect(await context.dataSource.getRepository(SubscriptionEntity).count()).toBe(before);
  });

  it('10,000-deep JSON: 400, and the portal keeps serving', async () => {
    const answer = await http_()
      .post('/api/v1/subscriptions')
      .set('Authorization', analyst)
      .set('Content-Type', 'application/json')
      .send(deepJson(10_000));
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body)).toMatch(/nested deeper/);
    await http_().get('/health').expect(200);
  });

  it('security headers, no X-Powered-By, CORS only for the configured origin', async () => {
    const allowed = await http_().get('/health').set('Origin', 'https://console.cert.example');
    expect(allowed.headers['x-powered-by']).toBeUndefined();
    expect(allowed.headers['x-content-type-options']).toBe('nosniff');
    expect(allowed.headers['strict-transport-security']).toBeDefined();
    expect(allowed.headers['access-control-allow-origin']).toBe('https://console.cert.example');
    const other = await http_().get('/health').set('Origin', 'https://evil.example');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('/metrics needs its bearer token', async () => {
    await http_().get('/metrics').expect(401);
    await http_().get('/metrics').set('Authorization', 'Bearer wrong-token-of-the-same-size-000').expect(401);
    await http_().get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200);
  });

  it('a body trickling past HTTP_BODY_TIMEOUT_SECONDS gets 408 and its connection closed', async () => {
    const server = app.getHttpServer() as http.Server;
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const started = Date.now();
    const status = await new Promise<number>((resolve) => {
      const upload = http.request({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/v1/subscriptions',
        headers: { Authorization: analyst, 'Content-Type': 'application/json', 'Content-Length': '1000' },
      });
      upload.on('response', (response) => resolve(response.statusCode ?? 0));
      upload.on('error', () => resolve(-1));
      upload.write('{"name":');
    });
    expect(status).toBe(408);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
