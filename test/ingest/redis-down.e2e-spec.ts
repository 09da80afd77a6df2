import { NestExpressApplication } from '@nestjs/platform-express';
import { redisConnectionOptions } from '@vigia/common';
import { IncidentReportEntity, ReportStatus } from '@vigia/database';
import { QueueName, queueKeyPrefix } from '@vigia/queue';
import { Queue } from 'bullmq';
import request from 'supertest';
import { createOrganisationWithApiKey } from '../../scripts/lib/organisation.factory';
import { reportBody } from '../factories/report.factory';
import { bootIngestApp } from '../support/ingest-app';
import { DisposableRedis } from '../support/redis-server';
import { TestContext, createTestContext } from '../support/test-context';
import { waitFor } from '../../scripts/lib/wait-for';

describe('ingest while Redis is down', () => {
  let context: TestContext;
  let redis: DisposableRedis;
  let app: NestExpressApplication;

  beforeAll(async () => {
    redis = await DisposableRedis.start();
    context = await createTestContext({ REDIS_URL: redis.url, OUTBOX_RELAY_INTERVAL_MS: '300' });
    app = await bootIngestApp(context.config);
  });

  afterAll(async () => {
    await app?.close();
    await redis?.start().catch(() => undefined); // cleanup() deletes this run's keys from it
    await context?.cleanup();
    await redis?.stop();
  });

  it('accepts and keeps the report, then queues it once Redis is back', async () => {
    const { apiKey } = await createOrganisationWithApiKey(context.dataSource);
    await redis.stop();

    const started = Date.now();
    const response = await request(app.getHttpServer())
      .post('/api/v1/reports')
      .set('X-Api-Key', apiKey)
      .send(reportBody())
      .expect(202);
    expect(Date.now() - started).toBeLessThan(3000);
    const reports = context.dataSource.getRepository(IncidentReportEntity);
    const kept = await reports.findOneByOrFail({ id: response.body.id });
    expect(kept.status).toBe(ReportStatus.Received);
    expect(kept.enqueuedAt).toBeNull();
    expect(kept.indicatorCount).toBe(4);

    await redis.start();
    const queued = await waitFor('the report to be queued', async () => {
      const report = await reports.findOneByOrFail({ id: kept.id });
      return report.enqueuedAt !== null ? report : undefined;
    });
    expect(queued.enqueuedAt).not.toBeNull();
    const queue = new Queue(QueueName.Reports, {
      connection: redisConnectionOptions(redis.url),
      prefix: queueKeyPrefix(context.config.redis.prefix),
    });
    try {
      const job = await queue.getJob(kept.id);
      expect(job?.data).toEqual({ reportId: kept.id });
      expect(await queue.count()).toBe(1);
    } finally {
      await queue.close();
    }
  });
});
