import { ChildProcess } from 'node:child_process';
import { NestExpressApplication } from '@nestjs/platform-express';
import { redisConnectionOptions } from '@vigia/common';
import { SecretSealer, WebhookDeliveryEntity, WebhookDeliveryRepository, WebhookDeliveryStatus } from '@vigia/database';
import { JobOutbox, QueueName, deliveryJobId, queueKeyPrefix } from '@vigia/queue';
import { Queue } from 'bullmq';
import request from 'supertest';
import { WebhookDeliveryScheduler } from '../../apps/worker/src/webhook-delivery/webhook-delivery.scheduler';
import { createOrganisationWithApiKey } from '../../scripts/lib/organisation.factory';
import { warningEnvelope } from '../factories/warning.factory';
import { bootPortalApp } from '../support/portal-app';
import { freePort } from '../../scripts/lib/free-port';
import { TestContext, createTestContext } from '../support/test-context';
import { waitFor } from '../../scripts/lib/wait-for';
import { WebhookReceiver } from '../support/webhook-receiver';
import { killAll, startWorker, stopped } from '../support/worker-process';

jest.setTimeout(180_000);

/** BullMQ's `maxStalledCount` (1, the default): a job that stalls once more than this is failed without running. */
const STALLS_TOLERATED = 1;

// The local receiver allowed, and an attempt that may wait far longer than this test for its answer.
const WEBHOOK_ENV = { WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32', WEBHOOK_TIMEOUT_MS: '600000' };

describe('worker: killed again and again in the middle of one webhook delivery', () => {
  let context: TestContext;
  let portal: NestExpressApplication;
  let receiver: WebhookReceiver;
  let webhooks: Queue;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    context = await createTestContext(WEBHOOK_ENV);
    receiver = await WebhookReceiver.start();
    portal = await bootPortalApp(context.config);
    webhooks = new Queue(QueueName.Webhooks, {
      connection: redisConnectionOptions(context.config.redis.url),
      prefix: queueKeyPrefix(context.config.redis.prefix),
    });
  });

  afterAll(async () => {
    await killAll(children);
    await webhooks?.close();
    await portal?.close();
    await receiver?.close();
    await context?.cleanup();
  });

  it('dead-letters the delivery with a reason once BullMQ gives its job up as stalled; the owner replays it', async () => {
    const { organisation, apiKey } = await createOrganisationWithApiKey(context.dataSource);
    const subscribed = await request(portal.getHttpServer())
      .post('/api/v1/subscriptions')
      .set('X-Api-Key', apiKey)
      .send({ name: 'hook', channels: [{ type: 'webhook', url: receiver.url('/silent') }] })
      .expect(201);
    const subscriptionId = subscribed.body.id as string;
    // The receiver never answers: every run of the job stays in the middle of its attempt.
    receiver.on('/silent', () => undefined);
    const envelope = warningEnvelope(organisation.id);
    const scheduler = new WebhookDeliveryScheduler(
      new WebhookDeliveryRepository(context.dataSource, portal.get(SecretSealer)),
      portal.get(JobOutbox),
    );
    await scheduler.schedule([
      { endpointId: subscribed.body.channels[0].id, organisationId: organisation.id, envelope },
    ]);
    const { id } = await context.dataSource
      .getRepository(WebhookDeliveryEntity)
      .findOneByOrFail({ warningId: envelope.id });
    const jobId = deliveryJobId(id);

    // Each worker takes the job (the second one once BullMQ's stalled-job checker put it back) and is killed in it.
    for (let run = 1; run <= STALLS_TOLERATED + 1; run += 1) {
      const worker = startWorker(context, await freePort(), WEBHOOK_ENV);
      children.push(worker);
      await waitFor(
        `worker ${run} to be waiting for the receiver`,
        async () => {
          if (worker.exitCode !== null) throw new Error(`worker exited with ${worker.exitCode}`);
          const job = await webhooks.getJob(jobId);
          const running = job?.attemptsStarted === run && (await job.getState()) === 'active';
          return running && receiver.requestsTo('/silent').length === run ? true : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 100 },
      );
      worker.kill('SIGKILL');
      await stopped(worker);
    }
    const deliveryRow = () => context.dataSource.getRepository(WebhookDeliveryEntity).findOneByOrFail({ id });
    expect((await deliveryRow()).status).toBe(WebhookDeliveryStatus.Pending);

    // The next worker's stalled-job checker finds the job stalled a second time: BullMQ fails it without running it.
    children.push(startWorker(context, await freePort(), WEBHOOK_ENV));
    const settled = await waitFor(
      'the delivery to leave pending',
      async () => {
        const delivery = await deliveryRow();
        return delivery.status === WebhookDeliveryStatus.Pending ? undefined : delivery;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    const reason =
      'delivery did not finish: the worker stopped 2 times while running it; it was not retried again ' +
      '(job stalled more than allowable limit)';
    expect(settled).toMatchObject({ status: 'dead', lastError: reason, deadAt: expect.any(Date), nextAttemptAt: null });
    const job = await webhooks.getJob(jobId);
    expect(await job!.getState()).toBe('failed');
    expect(job!.stalledCounter).toBe(STALLS_TOLERATED + 1);
    expect(receiver.requestsTo('/silent')).toHaveLength(STALLS_TOLERATED + 1);

    // Its owner sees it among the dead deliveries, and a replay (a new job) delivers it.
    const deliveriesUrl = `/api/v1/subscriptions/${subscriptionId}/deliveries`;
    const listed = await request(portal.getHttpServer())
      .get(deliveriesUrl)
      .query({ status: 'dead' })
      .set('X-Api-Key', apiKey)
      .expect(200);
    expect(listed.body.items).toEqual([
      expect.objectContaining({ id, status: 'dead', last_error: reason, attempt_count: 0, attempts: [] }),
    ]);
    receiver.on('/silent', (_, response) => response.writeHead(204).end());
    await request(portal.getHttpServer()).post(`${deliveriesUrl}/${id}/replay`).set('X-Api-Key', apiKey).expect(202);
    const delivered = await waitFor('the replay to be delivered', async () => {
      const delivery = await deliveryRow();
      return delivery.status === WebhookDeliveryStatus.Delivered ? delivery : undefined;
    });
    expect(delivered).toMatchObject({ attempts: 1, replays: 1, lastError: null });
  });
});
