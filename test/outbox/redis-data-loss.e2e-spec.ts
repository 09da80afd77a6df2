import { NestExpressApplication } from '@nestjs/platform-express';
import { redisConnectionOptions } from '@vigia/common';
import { IncidentReportEntity, ReportStatus } from '@vigia/database';
import { OutboxRelay, QueueName, warningsJobId, queueKeyPrefix } from '@vigia/queue';
import { WarningEnvelope } from '@vigia/warning-stream';
import { Queue } from 'bullmq';
import request from 'supertest';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { createOrganisation, createOrganisationWithApiKey } from '../../scripts/lib/organisation.factory';
import { storeReport } from '../../scripts/lib/stored-report.factory';
import { reportBody } from '../factories/report.factory';
import { bootIngestApp } from '../support/ingest-app';
import { bootPortalApp } from '../support/portal-app';
import { DisposableRedis } from '../support/redis-server';
import { bootTestApp } from '../support/test-app';
import { TestContext, createTestContext } from '../support/test-context';
import { waitFor } from '../../scripts/lib/wait-for';
import { WebhookReceiver } from '../support/webhook-receiver';

/**
 * Work after a commit survives Redis losing its data: the report commits and is normalised, its fan-out job reaches
 * Redis, then Redis restarts empty (it keeps nothing on disk) before any worker takes the job. The outbox still holds
 * the job, so the relay queues it again once Redis answers and the warning is delivered, once.
 */
describe('outbox: Redis loses its data between a report’s commit and its fan-out', () => {
  let redis: DisposableRedis;
  let context: TestContext;
  let receiver: WebhookReceiver;
  const apps: NestExpressApplication[] = [];

  const bootWorker = (queues: QueueName[]) =>
    bootTestApp(WorkerModule.register(context.config, [], { queues }), context.config, { name: 'worker' });

  beforeAll(async () => {
    redis = await DisposableRedis.start();
    receiver = await WebhookReceiver.start();
    context = await createTestContext({
      REDIS_URL: redis.url,
      OUTBOX_RELAY_INTERVAL_MS: '200',
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOWED_CIDRS: '127.0.0.0/8',
    });
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await receiver?.close();
    await redis?.start().catch(() => undefined); // cleanup() deletes this run's keys from it
    await context?.cleanup();
    await redis?.stop();
  });

  it('delivers the warning once, within seconds of Redis returning', async () => {
    const [ingest, portal, normaliser] = await Promise.all([
      bootIngestApp(context.config),
      bootPortalApp(context.config),
      // Only normalisation runs at first: the fan-out job waits in Redis for a consumer that is not there yet.
      bootWorker([QueueName.Reports]),
    ]);
    apps.push(ingest, portal, normaliser);
    const reporter = await createOrganisationWithApiKey(context.dataSource);
    const subscriber = await createOrganisationWithApiKey(context.dataSource);
    await request(portal.getHttpServer())
      .post('/api/v1/subscriptions')
      .set('X-Api-Key', subscriber.apiKey)
      .send({ name: 'everything', channels: [{ type: 'webhook', url: receiver.url('/subscriber') }] })
      .expect(201);

    const submitted = await request(ingest.getHttpServer())
      .post('/api/v1/reports')
      .set('X-Api-Key', reporter.apiKey)
      .send(reportBody({ tlp: 'green' }))
      .expect(202);
    const reportId = submitted.body.id as string;
    const warnings = new Queue(QueueName.Warnings, {
      connection: redisConnectionOptions(redis.url),
      prefix: queueKeyPrefix(context.config.redis.prefix),
    });
    try {
      await waitFor('the report to be normalised and its fan-out job queued', async () => {
        const report = await context.dataSource.getRepository(IncidentReportEntity).findOneByOrFail({ id: reportId });
        if (report.status !== ReportStatus.Normalised) return undefined;
        return (await warnings.getJob(warningsJobId(reportId))) ?? undefined;
      });
    } finally {
      await warnings.close();
    }

    await redis.stop();
    await redis.start();
    const returned = Date.now();
    expect(receiver.requestsTo('/subscriber')).toHaveLength(0);
    apps.push(await bootWorker([QueueName.Warnings, QueueName.Webhooks]));

    const [delivered] = await waitFor(
      'the warning to reach the webhook',
      async () => {
        const received = receiver.requestsTo('/subscriber');
        return received.length > 0 ? received : undefined;
      },
      { timeoutMs: 20_000 },
    );
    expect(Date.now() - returned).toBeLessThan(10_000);
    const envelope = JSON.parse(delivered!.body) as WarningEnvelope;
    expect(envelope.report.id).toBe(reportId);

    // Once: a second relay pass and the retried jobs add nothing.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(receiver.requestsTo('/subscriber')).toHaveLength(1);
  });
});

/**
 * A producer that died between its commit and its relay leaves a job counted as relayed that Redis never got: the
 * relay's audit finds it missing and queues it.
 */
describe('outbox: a job counted as relayed that never reached Redis', () => {
  let context: TestContext;
  let worker: NestExpressApplication;

  beforeAll(async () => {
    context = await createTestContext();
    worker = await bootTestApp(
      WorkerModule.register(context.config, [], { queues: [QueueName.Reports] }),
      context.config,
      {
        name: 'worker',
      },
    );
  });

  afterAll(async () => {
    await worker?.close();
    await context?.cleanup();
  });

  it('is queued by the audit and runs', async () => {
    const organisation = await createOrganisation(context.dataSource);
    const reportId = await storeReport(context.dataSource, organisation.id, [
      { type: 'domain', value: 'audit.example' },
    ]);
    await context.dataSource.query(
      `INSERT INTO outbox_jobs (queue_name, job_name, job_id, payload, relayed_at)
       VALUES ('reports', 'normalise-report', $1, jsonb_build_object('reportId', $1::text), now() - interval '2 minutes')`,
      [reportId],
    );
    expect(await worker.get(OutboxRelay).auditOnce()).toBe(1);
    const normalised = await waitFor('the report to be normalised', async () => {
      const report = await context.dataSource.getRepository(IncidentReportEntity).findOneByOrFail({ id: reportId });
      return report.status === ReportStatus.Normalised ? report : undefined;
    });
    expect(normalised.status).toBe(ReportStatus.Normalised);
    // Once in Redis, a second audit leaves it alone.
    await context.dataSource.query(`UPDATE outbox_jobs SET relayed_at = now() - interval '2 minutes'`);
    expect(await worker.get(OutboxRelay).auditOnce()).toBe(0);
  });

  it('settles a job BullMQ holds finished whose row was left behind (its worker died before settling it)', async () => {
    const organisation = await createOrganisation(context.dataSource);
    const reportId = await storeReport(context.dataSource, organisation.id, [
      { type: 'domain', value: 'unsettled.example' },
    ]);
    const recordJob = (relayedAgo: string) =>
      context.dataSource.query(
        `INSERT INTO outbox_jobs (queue_name, job_name, job_id, payload, relayed_at)
         VALUES ('reports', 'normalise-report', $1, jsonb_build_object('reportId', $1::text), now() - $2::interval)`,
        [reportId, relayedAgo],
      );
    const rows = async () =>
      Number(
        (await context.dataSource.query(`SELECT count(*) FROM outbox_jobs WHERE job_id = $1`, [reportId]))[0].count,
      );
    await recordJob('2 minutes');
    expect(await worker.get(OutboxRelay).auditOnce()).toBe(1);
    await waitFor('the job to finish and be settled', async () => ((await rows()) === 0 ? true : undefined));
    // The same row again, as if the worker had died between finishing the job and settling it.
    await recordJob('2 minutes');
    expect(await worker.get(OutboxRelay).auditOnce()).toBe(0);
    expect(await rows()).toBe(0);
  });
});
