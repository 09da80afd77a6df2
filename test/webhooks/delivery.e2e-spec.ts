import { NestExpressApplication } from '@nestjs/platform-express';
import {
  OrganisationEntity,
  OrganisationStatus,
  SubscriptionRepository,
  WebhookDeliveryAttemptEntity,
  WebhookDeliveryEntity,
  WebhookDeliveryStatus,
  WebhookEndpointEntity,
} from '@vigia/database';
import { deliveryJobId } from '@vigia/queue';
import { WarningEnvelope } from '@vigia/warning-stream';
import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import { DeliverWebhookHandler } from '../../apps/worker/src/webhook-delivery/deliver-webhook.handler';
import { WebhookDeliveryScheduler } from '../../apps/worker/src/webhook-delivery/webhook-delivery.scheduler';
import { createOrganisationWithApiKey } from '../../scripts/lib/organisation.factory';
import { warningEnvelope } from '../factories/warning.factory';
import { bootPortalApp } from '../support/portal-app';
import { TestContext, createTestContext } from '../support/test-context';
import { waitFor } from '../../scripts/lib/wait-for';
import { ReceivedWebhook, WebhookReceiver } from '../support/webhook-receiver';
import { bootWebhookWorker } from '../support/webhook-worker';

const RETRY_SCHEDULE_MS = [100, 200, 300];

// Production rules (no NODE_ENV=development), with the local receiver allowed by the operator allow-list.
describe('worker: webhook deliveries', () => {
  let context: TestContext;
  let portal: NestExpressApplication;
  let worker: NestExpressApplication;
  let receiver: WebhookReceiver;
  let scheduler: WebhookDeliveryScheduler;
  let organisationId: string;
  let apiKey: string;
  let otherApiKey: string;

  beforeAll(async () => {
    context = await createTestContext({
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32',
      WEBHOOK_RETRY_SCHEDULE_MS: RETRY_SCHEDULE_MS.join(','),
      WEBHOOK_TIMEOUT_MS: '2000',
      WEBHOOK_RETRY_AFTER_MAX_MS: '5000',
    });
    receiver = await WebhookReceiver.start();
    portal = await bootPortalApp(context.config);
    worker = await bootWebhookWorker(context.config);
    scheduler = worker.get(WebhookDeliveryScheduler);
    const created = await createOrganisationWithApiKey(context.dataSource);
    organisationId = created.organisation.id;
    apiKey = created.apiKey;
    otherApiKey = (await createOrganisationWithApiKey(context.dataSource)).apiKey;
  });

  afterAll(async () => {
    await worker?.close();
    await portal?.close();
    await receiver?.close();
    await context?.cleanup();
  });

  /** A subscription with one webhook to the receiver's `path`; returns its ids and secret. */
  async function subscribe(path: string): Promise<{ subscriptionId: string; endpointId: string; secret: string }> {
    const response = await request(portal.getHttpServer())
      .post('/api/v1/subscriptions')
      .set('X-Api-Key', apiKey)
      .send({ name: `hook ${path}`, channels: [{ type: 'webhook', url: receiver.url(path) }] })
      .expect(201);
    const [channel] = response.body.channels;
    return { subscriptionId: response.body.id, endpointId: channel.id, secret: channel.secret };
  }

  async function schedule(endpointId: string, envelope: WarningEnvelope = warningEnvelope(organisationId)) {
    await scheduler.schedule([{ endpointId, organisationId, envelope }]);
    return envelope;
  }

  const deliveryOf = (warningId: string) =>
    context.dataSource.getRepository(WebhookDeliveryEntity).findOneBy({ warningId });

  const attemptsOf = (deliveryId: string) =>
    context.dataSource
      .getRepository(WebhookDeliveryAttemptEntity)
      .find({ where: { deliveryId }, order: { attemptedAt: 'ASC', id: 'ASC' } });

  async function settled(warningId: string, status: WebhookDeliveryStatus): Promise<WebhookDeliveryEntity> {
    return waitFor(`delivery of ${warningId} ${status}`, async () => {
      const delivery = await deliveryOf(warningId);
      return delivery?.status === status ? delivery : undefined;
    });
  }

  const verify = (secret: string, webhook: ReceivedWebhook): unknown =>
    new Webhook(secret).verify(webhook.body, webhook.headers as Record<string, string>);

  it('delivers a signed envelope once, verifiable with the standardwebhooks verifier', async () => {
    const { endpointId, secret } = await subscribe('/signed');
    const envelope = await schedule(endpointId);
    const delivery = await settled(envelope.id, WebhookDeliveryStatus.Delivered);

    const [received] = receiver.requestsTo('/signed');
    expect(received.headers).toMatchObject({
      'content-type': 'application/json',
      'webhook-id': delivery.id,
      'webhook-timestamp': expect.stringMatching(/^\d{10}$/),
      'webhook-signature': expect.stringMatching(/^v1,[A-Za-z0-9+/=]+$/),
    });
    expect(verify(secret, received)).toEqual(envelope);
    expect(delivery).toMatchObject({
      attempts: 1,
      lastStatusCode: 204,
      lastError: null,
      deliveredAt: expect.any(Date),
    });
    expect(await attemptsOf(delivery.id)).toEqual([
      expect.objectContaining({ attempt: 1, statusCode: 204, error: null, latencyMs: expect.any(Number) }),
    ]);

    // A retried fan-out schedules the same warning again: nothing new is inserted or sent.
    await schedule(endpointId, envelope);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receiver.requestsTo('/signed')).toHaveLength(1);
    expect(await context.dataSource.getRepository(WebhookDeliveryEntity).countBy({ warningId: envelope.id })).toBe(1);
  });

  it('sends a signed test delivery on request, through the outbox and the delivery log; another organisation gets 404', async () => {
    const { subscriptionId, endpointId, secret } = await subscribe('/test-event');
    const testPath = `/api/v1/subscriptions/${subscriptionId}/webhooks/${endpointId}/test`;
    const answered = await request(portal.getHttpServer()).post(testPath).set('X-Api-Key', apiKey).expect(202);
    expect(answered.body).toMatchObject({
      endpoint_id: endpointId,
      event_type: 'webhook.test',
      test: true,
      status: 'pending',
      warning_id: expect.stringMatching(/^test_[0-9a-f-]{36}$/),
    });
    const delivery = await settled(answered.body.warning_id as string, WebhookDeliveryStatus.Delivered);
    expect(delivery.id).toBe(answered.body.id);

    const [received] = receiver.requestsTo('/test-event');
    expect(received.headers['webhook-id']).toBe(delivery.id);
    expect(verify(secret, received)).toEqual({
      id: answered.body.warning_id,
      type: 'webhook.test',
      test: true,
      created_at: expect.any(String),
      organisation_id: organisationId,
      subscription_ids: [subscriptionId],
      message: expect.stringContaining('test delivery'),
    });
    const log = await request(portal.getHttpServer())
      .get(`/api/v1/subscriptions/${subscriptionId}/deliveries`)
      .set('X-Api-Key', apiKey)
      .expect(200);
    expect(log.body.items).toEqual([
      expect.objectContaining({ id: delivery.id, test: true, status: 'delivered', attempt_count: 1 }),
    ]);
    const [event] = (await context.dataSource.query(
      `SELECT target_id, details FROM audit_events WHERE action = 'webhook.test_sent'`,
    )) as { target_id: string; details: { test_id: string } }[];
    expect(event).toMatchObject({ target_id: endpointId, details: { test_id: answered.body.warning_id } });

    // Another organisation's subscription does not exist for the caller; nothing is queued or sent.
    await request(portal.getHttpServer()).post(testPath).set('X-Api-Key', otherApiKey).expect(404);
    const unknownEndpoint = `/api/v1/subscriptions/${subscriptionId}/webhooks/${subscriptionId}/test`;
    await request(portal.getHttpServer()).post(unknownEndpoint).set('X-Api-Key', apiKey).expect(404);
    // A disabled endpoint is enabled before it is tested.
    await context.dataSource
      .getRepository(WebhookEndpointEntity)
      .update({ id: endpointId }, { disabledAt: new Date() });
    const refused = await request(portal.getHttpServer()).post(testPath).set('X-Api-Key', apiKey).expect(409);
    expect(refused.body.message).toContain('disabled');
    expect(receiver.requestsTo('/test-event')).toHaveLength(1);
    expect(await context.dataSource.getRepository(WebhookDeliveryEntity).countBy({ endpointId })).toBe(1);
  });

  it('retries on the schedule until the receiver accepts, keeping the webhook-id and recording every attempt', async () => {
    const { endpointId, secret } = await subscribe('/flaky');
    receiver.answerInTurn('/flaky', [{ status: 500 }, { status: 502 }, { status: 200 }]);
    const envelope = await schedule(endpointId);
    const delivery = await settled(envelope.id, WebhookDeliveryStatus.Delivered);

    const requests = receiver.requestsTo('/flaky');
    expect(requests).toHaveLength(3);
    expect(new Set(requests.map((webhook) => webhook.headers['webhook-id']))).toEqual(new Set([delivery.id]));
    for (const webhook of requests) expect(verify(secret, webhook)).toEqual(envelope);
    // 100 ms then 200 ms, each ±10 %.
    expect(requests[1].receivedAt - requests[0].receivedAt).toBeGreaterThanOrEqual(85);
    expect(requests[2].receivedAt - requests[1].receivedAt).toBeGreaterThanOrEqual(175);
    const attempts = await attemptsOf(delivery.id);
    expect(attempts.map((attempt) => [attempt.attempt, attempt.statusCode])).toEqual([
      [1, 500],
      [2, 502],
      [3, 200],
    ]);
    expect(attempts[0].error).toBe('HTTP 500: receiver says no');
    expect(delivery.attempts).toBe(3);
  });

  it('waits as long as a 429 Retry-After asks before trying again', async () => {
    const { endpointId } = await subscribe('/busy');
    receiver.answerInTurn('/busy', [{ status: 429, headers: { 'Retry-After': '1' } }, { status: 200 }]);
    const envelope = await schedule(endpointId);
    const failed = await settled(envelope.id, WebhookDeliveryStatus.Failed);
    expect(failed.nextAttemptAt!.getTime() - Date.now()).toBeGreaterThan(500);
    await settled(envelope.id, WebhookDeliveryStatus.Delivered);
    const [first, second] = receiver.requestsTo('/busy');
    expect(second.receivedAt - first.receivedAt).toBeGreaterThanOrEqual(1000);
  });

  it('disables an endpoint that answers 410 Gone and dead-letters what is still scheduled for it', async () => {
    const { subscriptionId, endpointId } = await subscribe('/gone');
    const waiting = warningEnvelope(organisationId);
    const gone = warningEnvelope(organisationId);
    // The first warning is asked to come back in 3 s; meanwhile the second one learns the endpoint is gone.
    receiver.on('/gone', (webhook, response) => {
      const id = (JSON.parse(webhook.body) as WarningEnvelope).id;
      if (id === waiting.id) response.writeHead(503, { 'Retry-After': '3' }).end();
      else response.writeHead(410).end();
    });
    await schedule(endpointId, waiting);
    await settled(waiting.id, WebhookDeliveryStatus.Failed);
    await schedule(endpointId, gone);
    await settled(gone.id, WebhookDeliveryStatus.Dead);

    expect(await deliveryOf(waiting.id)).toMatchObject({ status: 'dead', lastError: 'endpoint disabled' });
    const subscription = await request(portal.getHttpServer())
      .get(`/api/v1/subscriptions/${subscriptionId}`)
      .set('X-Api-Key', apiKey)
      .expect(200);
    expect(subscription.body.channels[0]).toMatchObject({
      disabled_at: expect.any(String),
      disabled_reason: 'receiver answered 410 Gone',
    });

    // Nothing more is scheduled for it, and replaying needs it enabled first.
    const later = await schedule(endpointId);
    expect(await deliveryOf(later.id)).toBeNull();
    const dead = await deliveryOf(gone.id);
    const refused = await request(portal.getHttpServer())
      .post(`/api/v1/subscriptions/${subscriptionId}/deliveries/${dead!.id}/replay`)
      .set('X-Api-Key', apiKey)
      .expect(409);
    expect(refused.body.message).toContain('disabled');
    await request(portal.getHttpServer())
      .post(`/api/v1/subscriptions/${subscriptionId}/webhooks/${endpointId}/enable`)
      .set('X-Api-Key', apiKey)
      .expect(200);
    receiver.on('/gone', (_, response) => response.writeHead(200).end());
    const afterEnable = await schedule(endpointId);
    await settled(afterEnable.id, WebhookDeliveryStatus.Delivered);
    expect(receiver.requestsTo('/gone')).toHaveLength(3);
  });

  it('dead-letters after the last retry; the owner lists it with its attempts and replays it', async () => {
    const { subscriptionId, endpointId } = await subscribe('/down');
    receiver.answerInTurn('/down', [{ status: 500 }]);
    const envelope = await schedule(endpointId);
    const dead = await settled(envelope.id, WebhookDeliveryStatus.Dead);
    expect(receiver.requestsTo('/down')).toHaveLength(RETRY_SCHEDULE_MS.length + 1);
    expect(dead).toMatchObject({ attempts: 4, lastStatusCode: 500, deadAt: expect.any(Date), nextAttemptAt: null });

    const deliveriesUrl = `/api/v1/subscriptions/${subscriptionId}/deliveries`;
    const listed = await request(portal.getHttpServer())
      .get(deliveriesUrl)
      .query({ status: 'dead' })
      .set('X-Api-Key', apiKey)
      .expect(200);
    expect(listed.body).toEqual({
      items: [
        expect.objectContaining({
          id: dead.id,
          endpoint_id: endpointId,
          warning_id: envelope.id,
          event_type: 'indicator.warning',
          status: 'dead',
          attempt_count: 4,
          last_status_code: 500,
          attempts: [1, 2, 3, 4].map((attempt) =>
            expect.objectContaining({ attempt, status_code: 500, error: 'HTTP 500: receiver says no' }),
          ),
        }),
      ],
      next_cursor: null,
    });

    await request(portal.getHttpServer())
      .post(`${deliveriesUrl}/${dead.id}/replay`)
      .set('X-Api-Key', otherApiKey)
      .expect(404);
    receiver.answerInTurn('/down', [{ status: 200 }]);
    const replayed = await request(portal.getHttpServer())
      .post(`${deliveriesUrl}/${dead.id}/replay`)
      .set('X-Api-Key', apiKey)
      .set('X-Request-Id', 'replay-down-1')
      .expect(202);
    expect(replayed.body).toMatchObject({ id: dead.id, status: 'pending', attempt_count: 0, dead_at: null });
    const delivered = await settled(envelope.id, WebhookDeliveryStatus.Delivered);
    expect(delivered.attempts).toBe(1);
    expect((await attemptsOf(dead.id)).map((attempt) => attempt.statusCode)).toEqual([500, 500, 500, 500, 200]);

    const again = await request(portal.getHttpServer())
      .post(`${deliveriesUrl}/${dead.id}/replay`)
      .set('X-Api-Key', apiKey)
      .expect(409);
    expect(again.body).toMatchObject({ error: 'CONFLICT', message: expect.stringContaining('delivered') });
    // The replay was audited in its transaction; the refused ones (404, 409) were not.
    const audited = await context.dataSource.query(
      `SELECT action, request_id, details FROM audit_events WHERE target_id = $1`,
      [dead.id],
    );
    expect(audited).toEqual([
      {
        action: 'webhook_delivery.replayed',
        request_id: 'replay-down-1',
        details: { subscription_id: subscriptionId },
      },
    ]);
    await request(portal.getHttpServer())
      .get(deliveriesUrl)
      .query({ status: 'forgotten' })
      .set('X-Api-Key', apiKey)
      .expect(400);
  });

  it('when BullMQ abandons an old job of a delivery: a delivered or since replayed delivery is left alone', async () => {
    const handler = worker.get(DeliverWebhookHandler);
    const stalled = 'the worker stopped 2 times';
    const kept = await schedule((await subscribe('/kept')).endpointId);
    const delivered = await settled(kept.id, WebhookDeliveryStatus.Delivered);
    await handler.deliveryAbandoned({ deliveryId: delivered.id }, stalled, { id: deliveryJobId(delivered.id) });
    expect(await deliveryOf(kept.id)).toMatchObject({ status: 'delivered', lastError: null });

    // Dead, then replayed: the replay's first attempt is asked to come back in 3 s, so it is still open meanwhile.
    const { subscriptionId, endpointId } = await subscribe('/replayed');
    receiver.answerInTurn('/replayed', [{ status: 500 }]);
    const envelope = await schedule(endpointId);
    const { id } = await settled(envelope.id, WebhookDeliveryStatus.Dead);
    receiver.answerInTurn('/replayed', [{ status: 503, headers: { 'Retry-After': '3' } }]);
    await request(portal.getHttpServer())
      .post(`/api/v1/subscriptions/${subscriptionId}/deliveries/${id}/replay`)
      .set('X-Api-Key', apiKey)
      .expect(202);
    const replayed = await settled(envelope.id, WebhookDeliveryStatus.Failed);
    expect(replayed).toMatchObject({ replays: 1, attempts: 1, lastStatusCode: 503 });

    await handler.deliveryAbandoned({ deliveryId: id }, stalled, { id: deliveryJobId(id) });
    expect(await deliveryOf(envelope.id)).toEqual(replayed);
    await expect(
      handler.deliveryAbandoned({ deliveryId: id }, stalled, { id: deliveryJobId(delivered.id) }),
    ).rejects.toThrow(`is not a job of delivery ${id}`);
    // The replay's own job is the one that may dead-letter it.
    await handler.deliveryAbandoned({ deliveryId: id }, stalled, { id: deliveryJobId(id, 1) });
    expect(await deliveryOf(envelope.id)).toMatchObject({
      status: 'dead',
      lastError: `delivery did not finish: ${stalled}`,
      deadAt: expect.any(Date),
      nextAttemptAt: null,
    });
  });

  it('pages the delivery log newest first', async () => {
    const { subscriptionId, endpointId } = await subscribe('/paged');
    const envelopes = [
      warningEnvelope(organisationId),
      warningEnvelope(organisationId),
      warningEnvelope(organisationId),
    ];
    for (const envelope of envelopes) await schedule(endpointId, envelope);
    for (const envelope of envelopes) await settled(envelope.id, WebhookDeliveryStatus.Delivered);
    const page = (cursor?: string) =>
      request(portal.getHttpServer())
        .get(`/api/v1/subscriptions/${subscriptionId}/deliveries`)
        .query({ limit: 2, ...(cursor ? { cursor } : {}) })
        .set('X-Api-Key', apiKey)
        .expect(200);
    const first = (await page()).body;
    const second = (await page(first.next_cursor)).body;
    expect([...first.items, ...second.items].map((item: { warning_id: string }) => item.warning_id)).toEqual(
      envelopes.map((envelope) => envelope.id).reverse(),
    );
    expect(second.next_cursor).toBeNull();
  });

  it('signs with both secrets during a rotation’s grace period', async () => {
    const { subscriptionId, endpointId, secret: oldSecret } = await subscribe('/rotated');
    const rotated = await request(portal.getHttpServer())
      .post(`/api/v1/subscriptions/${subscriptionId}/webhooks/${endpointId}/rotate-secret`)
      .set('X-Api-Key', apiKey)
      .expect(200);
    const envelope = await schedule(endpointId);
    await settled(envelope.id, WebhookDeliveryStatus.Delivered);
    const [received] = receiver.requestsTo('/rotated');
    expect(String(received.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verify(rotated.body.secret, received)).toEqual(envelope);
    expect(verify(oldSecret, received)).toEqual(envelope);
  });

  it('never follows a redirect: a 3xx is a failed attempt', async () => {
    const { subscriptionId, endpointId } = await subscribe('/moved');
    receiver.answerInTurn('/moved', [{ status: 302, headers: { Location: '/elsewhere' } }]);
    const envelope = await schedule(endpointId);
    const failed = await settled(envelope.id, WebhookDeliveryStatus.Failed);
    expect(failed).toMatchObject({ lastStatusCode: 302, lastError: 'HTTP 302: redirect to /elsewhere not followed' });
    await request(portal.getHttpServer())
      .delete(`/api/v1/subscriptions/${subscriptionId}`)
      .set('X-Api-Key', apiKey)
      .expect(204);
    expect(receiver.requestsTo('/elsewhere')).toHaveLength(0);
  });

  it('checks the URL again before every attempt: a target that is no longer allowed is refused', async () => {
    const { endpointId } = await subscribe('/recheck');
    // As if DNS or the allow-list had changed since the subscription was saved: 127.0.0.2 is loopback, not allowed.
    await context.dataSource.query(`UPDATE webhook_endpoints SET url = $2 WHERE id = $1`, [
      endpointId,
      `http://127.0.0.2:${receiver.port}/recheck`,
    ]);
    const envelope = await schedule(endpointId);
    const failed = await settled(envelope.id, WebhookDeliveryStatus.Failed);
    expect(failed.lastStatusCode).toBeNull();
    expect(failed.lastError).toBe(
      'refused: 127.0.0.2 is a loopback address; webhooks may only target public addresses',
    );
    await context.dataSource.query(`DELETE FROM webhook_endpoints WHERE id = $1`, [endpointId]);
  });

  it('gives the matcher every active subscription, with filters and usable channels, in one query', async () => {
    const create = async (key: string, body: object) =>
      (await request(portal.getHttpServer()).post('/api/v1/subscriptions').set('X-Api-Key', key).send(body).expect(201))
        .body as { id: string; channels: { id?: string }[] };
    const watched = await create(apiKey, {
      name: 'constituency',
      filters: {
        indicator_types: ['ipv4'],
        min_severity: 'medium',
        min_org_count: 2,
        constituency: { cidrs: ['198.51.100.0/24'], asns: [4200000000], domains: ['gub.uy'] },
      },
      channels: [
        { type: 'webhook', url: receiver.url('/a') },
        { type: 'webhook', url: receiver.url('/b') },
        { type: 'stream' },
      ],
    });
    const paused = await create(apiKey, { name: 'paused', active: false, channels: [{ type: 'stream' }] });
    const suspendedOrg = await createOrganisationWithApiKey(context.dataSource);
    const ofSuspended = await create(suspendedOrg.apiKey, { name: 'suspended', channels: [{ type: 'stream' }] });
    await context.dataSource
      .getRepository(OrganisationEntity)
      .update(suspendedOrg.organisation.id, { status: OrganisationStatus.Suspended });
    await context.dataSource
      .getRepository(WebhookEndpointEntity)
      .update(watched.channels[1].id!, { disabledAt: new Date(), disabledReason: 'receiver answered 410 Gone' });

    const loaded = await worker.get(SubscriptionRepository).findActive();
    const ids = loaded.map((subscription) => subscription.id);
    expect(ids).not.toContain(paused.id);
    expect(ids).not.toContain(ofSuspended.id);
    expect(loaded.find((subscription) => subscription.id === watched.id)).toEqual({
      id: watched.id,
      organisationId,
      name: 'constituency',
      filters: {
        indicatorTypes: ['ipv4'],
        classifications: [],
        minSeverity: 'medium',
        minConfidence: null,
        countries: [],
        sectors: [],
        minOrgCount: 2,
        minScore: null,
        constituency: { cidrs: ['198.51.100.0/24'], asns: [4200000000], domains: ['gub.uy'] },
        includeOwnReports: false,
        acceptsRed: false,
      },
      channels: { stream: true, webhookEndpointIds: [watched.channels[0].id], email: [] },
    });
  });
});
