import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { StreamConnectionSlots } from '../../apps/portal/src/stream/stream-connection-slots';
import { createOrganisationWithApiKey } from '../../scripts/lib/organisation.factory';
import { reportBody } from '../factories/report.factory';
import { bootIngestApp } from '../support/ingest-app';
import { bootPortalApp } from '../support/portal-app';
import { SseClient } from '../support/sse-client';
import { TestContext, createTestContext } from '../support/test-context';
import { waitFor } from '../../scripts/lib/wait-for';

const HEARTBEAT_MS = 200;

// Two instances of each app on one database and Redis, as behind a load balancer: every limit is counted once.
describe('limits shared by every instance behind a load balancer', () => {
  let context: TestContext;
  let portals: NestExpressApplication[];
  let ingests: NestExpressApplication[];
  let portalUrls: string[];
  const clients: SseClient[] = [];

  beforeAll(async () => {
    context = await createTestContext({
      APPLICATION_RATE_LIMIT_PER_HOUR: '2',
      INGEST_RATE_LIMIT_PER_MINUTE: '3',
      STREAM_HEARTBEAT_MS: String(HEARTBEAT_MS),
      STREAM_MAX_CONNECTIONS_PER_ORGANISATION: '2',
    });
    portals = await Promise.all([bootPortalApp(context.config), bootPortalApp(context.config)]);
    ingests = await Promise.all([bootIngestApp(context.config), bootIngestApp(context.config)]);
    portalUrls = [];
    for (const portal of portals) {
      await portal.listen(0, '127.0.0.1');
      portalUrls.push(await portal.getUrl());
    }
  });

  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });

  afterAll(async () => {
    await Promise.all([...(portals ?? []), ...(ingests ?? [])].map((app) => app.close()));
    await context?.cleanup();
  });

  const stream = async (portal: number, apiKey: string): Promise<number> => {
    const client = await SseClient.connect(`${portalUrls[portal]}/api/v1/stream`, { 'x-api-key': apiKey });
    clients.push(client);
    return client.response.statusCode ?? 0;
  };

  it('counts application submissions from one address once, whichever portal takes them', async () => {
    const post = (portal: NestExpressApplication) =>
      request(portal.getHttpServer()).post('/api/v1/applications').send({});
    // Each submission counts, refused or not: two on the first portal use the address's hour.
    expect((await post(portals[0])).status).toBe(400);
    expect((await post(portals[0])).status).toBe(400);
    const limited = await post(portals[1]);
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ error: 'RATE_LIMITED' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });

  it("counts an organisation's report submissions once, whichever ingest takes them", async () => {
    const busy = await createOrganisationWithApiKey(context.dataSource);
    const submit = (ingest: NestExpressApplication) =>
      request(ingest.getHttpServer()).post('/api/v1/reports').set('X-Api-Key', busy.apiKey).send(reportBody());
    await submit(ingests[0]).expect(202);
    await submit(ingests[1]).expect(202);
    await submit(ingests[0]).expect(202);
    const limited = await submit(ingests[1]).expect(429);
    expect(limited.body).toMatchObject({ error: 'RATE_LIMITED', message: expect.stringContaining('3 submissions') });
  });

  it("caps an organisation's streams across portals, and frees the slot when a stream closes", async () => {
    const { apiKey } = await createOrganisationWithApiKey(context.dataSource);
    expect(await stream(0, apiKey)).toBe(200);
    expect(await stream(1, apiKey)).toBe(200);
    expect(await stream(0, apiKey)).toBe(429);
    expect(await stream(1, apiKey)).toBe(429);
    clients[0].close();
    await waitFor('the slot to be freed', async () => ((await stream(1, apiKey)) === 200 ? true : undefined), {
      timeoutMs: 3_000,
      intervalMs: 50,
    });
  });

  it('frees the slots of a portal that died (no release, no heartbeat) after a few heartbeats', async () => {
    const { apiKey, organisation } = await createOrganisationWithApiKey(context.dataSource);
    // Slots taken as a portal's sessions take them, then never refreshed nor released: the portal was killed.
    const slots = portals[0].get(StreamConnectionSlots, { strict: false });
    await slots.acquire(organisation.id);
    await slots.acquire(organisation.id);
    expect(await stream(1, apiKey)).toBe(429);
    const startedAt = Date.now();
    await waitFor(
      'the dead portal’s slots to expire',
      async () => ((await stream(1, apiKey)) === 200 ? true : undefined),
      {
        timeoutMs: HEARTBEAT_MS * 10,
        intervalMs: 50,
      },
    );
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(HEARTBEAT_MS);
  });

  it('keeps live streams counted past the stale time, as their heartbeats refresh them', async () => {
    const { apiKey } = await createOrganisationWithApiKey(context.dataSource);
    expect(await stream(0, apiKey)).toBe(200);
    expect(await stream(1, apiKey)).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, HEARTBEAT_MS * 5));
    expect(await stream(0, apiKey)).toBe(429);
  });
});
