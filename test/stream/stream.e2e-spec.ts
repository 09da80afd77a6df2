import { NestExpressApplication } from '@nestjs/platform-express';
import { WarningEnvelope, WarningStreamPublisher, warningStreamKey } from '@vigia/warning-stream';
import { createOrganisationWithApiKey } from '../../scripts/lib/organisation.factory';
import { warningEnvelope } from '../factories/warning.factory';
import { bootPortalApp } from '../support/portal-app';
import { SseClient } from '../support/sse-client';
import { TestContext, createTestContext } from '../support/test-context';

describe('portal: live warning stream (SSE)', () => {
  let context: TestContext;
  let app: NestExpressApplication;
  let baseUrl: string;
  let publisher: WarningStreamPublisher;
  const clients: SseClient[] = [];

  beforeAll(async () => {
    context = await createTestContext({
      STREAM_HEARTBEAT_MS: '200',
      STREAM_CLIENT_RETRY_MS: '1500',
      STREAM_MAX_CONNECTIONS_PER_ORGANISATION: '2',
    });
    app = await bootPortalApp(context.config);
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
    publisher = app.get(WarningStreamPublisher);
  });

  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });

  afterAll(async () => {
    await app?.close();
    await context?.cleanup();
  });

  async function connect(apiKey: string, headers: Record<string, string> = {}, query = ''): Promise<SseClient> {
    const client = await SseClient.connect(`${baseUrl}/api/v1/stream${query}`, { 'x-api-key': apiKey, ...headers });
    clients.push(client);
    return client;
  }

  const publish = async (organisationId: string, count: number): Promise<WarningEnvelope[]> => {
    const envelopes = Array.from({ length: count }, () => warningEnvelope(organisationId));
    await publisher.publishMany(envelopes.map((envelope) => ({ organisationId, envelope })));
    return envelopes;
  };

  const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('streams published warnings live, and a reconnect with Last-Event-ID gets exactly what it missed', async () => {
    const { organisation, apiKey } = await createOrganisationWithApiKey(context.dataSource);
    const first = await connect(apiKey);
    expect(first.response.statusCode).toBe(200);
    expect(first.response.headers).toMatchObject({
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
    });
    const live = await publish(organisation.id, 2);
    const received = await first.waitForMessages(2);
    expect(first.events[0]).toEqual({ retry: '1500' });
    expect(received.map((event) => event.event)).toEqual(['indicator.warning', 'indicator.warning']);
    expect(received.map((event) => JSON.parse(event.data!))).toEqual(live);
    expect(received[0].id).toMatch(/^\d+-\d+$/);
    first.close();

    const missed = await publish(organisation.id, 2);
    const resumed = await connect(apiKey, { 'last-event-id': received[1].id! });
    const replayed = await resumed.waitForMessages(2);
    await delay(450);
    expect(resumed.messages).toHaveLength(2);
    expect(replayed.map((event) => JSON.parse(event.data!))).toEqual(missed);
    expect(resumed.events.filter((event) => event.comment === 'ping').length).toBeGreaterThanOrEqual(1);

    // Still live after the replay.
    const [next] = await publish(organisation.id, 1);
    const [, , third] = await resumed.waitForMessages(3);
    expect(JSON.parse(third.data!)).toEqual(next);
  });

  it('resumes from ?last_event_id= too, and refuses a malformed event id', async () => {
    const { organisation, apiKey } = await createOrganisationWithApiKey(context.dataSource);
    await publish(organisation.id, 1);
    const [firstId] = (
      await context.redis.xrange(warningStreamKey(context.config.redis.prefix, organisation.id), '-', '+')
    ).map(([id]) => id);
    const later = await publish(organisation.id, 1);
    const client = await connect(apiKey, {}, `?last_event_id=${firstId}`);
    const [event] = await client.waitForMessages(1);
    expect(JSON.parse(event.data!)).toEqual(later[0]);

    const malformed = await connect(apiKey, { 'last-event-id': 'yesterday' });
    expect(malformed.response.statusCode).toBe(400);
    expect(JSON.parse(await malformed.body())).toMatchObject({
      error: 'VALIDATION_FAILED',
      details: [{ path: 'last_event_id', value: 'yesterday', reason: expect.any(String) }],
    });
  });

  it('announces a gap when warnings after the last event id were trimmed away', async () => {
    const { organisation, apiKey } = await createOrganisationWithApiKey(context.dataSource);
    const key = warningStreamKey(context.config.redis.prefix, organisation.id);
    await publish(organisation.id, 3);
    const [oldest] = (await context.redis.xrange(key, '-', '+')).map(([id]) => id);
    await context.redis.xtrim(key, 'MAXLEN', 1);
    const client = await connect(apiKey, { 'last-event-id': oldest });
    await client.waitForMessages(2);
    const [gap, kept] = client.messages;
    expect(gap.event).toBe('gap');
    expect(gap.id).toBeUndefined();
    expect(JSON.parse(gap.data!)).toMatchObject({ last_event_id: oldest });
    expect(kept.event).toBe('indicator.warning');

    // Resuming from the newest id loses nothing: no gap.
    const upToDate = await connect(apiKey, { 'last-event-id': kept.id! });
    await delay(300);
    expect(upToDate.messages).toEqual([]);
  });

  it('shows each organisation only its own warnings', async () => {
    const mine = await createOrganisationWithApiKey(context.dataSource);
    const theirs = await createOrganisationWithApiKey(context.dataSource);
    const client = await connect(mine.apiKey);
    await publish(theirs.organisation.id, 1);
    const [own] = await publish(mine.organisation.id, 1);
    const [event] = await client.waitForMessages(1);
    await delay(200);
    expect(client.messages).toHaveLength(1);
    expect(JSON.parse(event.data!)).toEqual(own);
  });

  it('caps concurrent streams per organisation with 429, freeing the slot on disconnect', async () => {
    const { apiKey } = await createOrganisationWithApiKey(context.dataSource);
    const [one] = [await connect(apiKey), await connect(apiKey)];
    const refused = await connect(apiKey);
    expect(refused.response.statusCode).toBe(429);
    expect(refused.response.headers['retry-after']).toBeDefined();
    expect(JSON.parse(await refused.body())).toMatchObject({ statusCode: 429, error: 'RATE_LIMITED' });
    one.close();
    await delay(100);
    expect((await connect(apiKey)).response.statusCode).toBe(200);
  });

  it('answers 401 without an API key', async () => {
    const client = await SseClient.connect(`${baseUrl}/api/v1/stream`, {});
    expect(client.response.statusCode).toBe(401);
    expect(JSON.parse(await client.body())).toMatchObject({ error: 'UNAUTHENTICATED' });
  });
});
