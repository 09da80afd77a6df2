import { ChildProcess } from 'node:child_process';
import { NestExpressApplication } from '@nestjs/platform-express';
import { redisConnectionOptions } from '@vigia/common';
import { QueueName, queueKeyPrefix } from '@vigia/queue';
import { Queue } from 'bullmq';
import request from 'supertest';
import { QueryRunner } from 'typeorm';
import { createOrganisationWithApiKey } from '../../scripts/lib/organisation.factory';
import { reportBody } from '../factories/report.factory';
import { bootIngestApp } from '../support/ingest-app';
import { freePort } from '../../scripts/lib/free-port';
import { TestContext, createTestContext } from '../support/test-context';
import { waitFor } from '../../scripts/lib/wait-for';
import { killAll, startWorker, stopped } from '../support/worker-process';

jest.setTimeout(180_000);

/** BullMQ's `maxStalledCount` (1, the default): a job that stalls once more than this is failed without running. */
const STALLS_TOLERATED = 1;

describe('worker: killed again and again in the middle of one report', () => {
  let context: TestContext;
  let ingest: NestExpressApplication;
  let reports: Queue;
  let rowHolder: QueryRunner | undefined;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    context = await createTestContext();
    ingest = await bootIngestApp(context.config);
    reports = new Queue(QueueName.Reports, {
      connection: redisConnectionOptions(context.config.redis.url),
      prefix: queueKeyPrefix(context.config.redis.prefix),
    });
  });

  afterAll(async () => {
    await killAll(children);
    await rowHolder?.rollbackTransaction();
    await rowHolder?.release();
    await reports?.close();
    await ingest?.close();
    await context?.cleanup();
  });

  const reportRow = async (id: string): Promise<{ status: string; failure_reason: string | null }> =>
    (await context.dataSource.query(`SELECT status, failure_reason FROM incident_reports WHERE id = $1`, [id]))[0];

  /** Database sessions waiting for a lock: the normalisations stuck behind the row this test holds. */
  const sessionsWaitingForALock = async (): Promise<number> =>
    (
      await context.dataSource.query(
        `SELECT count(*)::int AS waiting FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      )
    )[0].waiting;

  it('ends failed, with a reason, once BullMQ gives the job up as stalled', async () => {
    const { apiKey } = await createOrganisationWithApiKey(context.dataSource);
    const submitted = await request(ingest.getHttpServer())
      .post('/api/v1/reports')
      .set('X-Api-Key', apiKey)
      .send(reportBody());
    expect(submitted.status).toBe(202);
    const id = submitted.body.id as string;
    await waitFor('the report to be queued', async () => ((await reports.getJob(id)) ? true : undefined));

    // Normalisation locks the report row first: holding it keeps every run of the job in the middle of its work.
    rowHolder = context.dataSource.createQueryRunner();
    await rowHolder.connect();
    await rowHolder.startTransaction();
    await rowHolder.query(`SELECT id FROM incident_reports WHERE id = $1 FOR UPDATE`, [id]);

    // Each worker takes the job (the second one once BullMQ's stalled-job checker put it back) and is killed in it.
    for (let run = 1; run <= STALLS_TOLERATED + 1; run += 1) {
      const worker = startWorker(context, await freePort());
      children.push(worker);
      await waitFor(
        `worker ${run} to be running the job`,
        async () => {
          if (worker.exitCode !== null) throw new Error(`worker exited with ${worker.exitCode}`);
          const job = await reports.getJob(id);
          const running = job?.attemptsStarted === run && (await job.getState()) === 'active';
          // A killed worker's session may wait on, orphaned, until the row is free: one more waiter per run.
          return running && (await sessionsWaitingForALock()) >= run ? true : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 100 },
      );
      worker.kill('SIGKILL');
      await stopped(worker);
    }
    expect((await reportRow(id)).status).toBe('received');
    await rowHolder.rollbackTransaction();
    await rowHolder.release();
    rowHolder = undefined;

    // The next worker's stalled-job checker finds the job stalled a second time: BullMQ fails it without running it.
    children.push(startWorker(context, await freePort()));
    const settled = await waitFor(
      'the report to leave received',
      async () => {
        const row = await reportRow(id);
        return row.status === 'received' ? undefined : row;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    const reason =
      'normalisation did not finish: the worker stopped 2 times while running it; it was not retried again ' +
      '(job stalled more than allowable limit)';
    expect(settled).toEqual({ status: 'failed', failure_reason: reason });

    const job = await reports.getJob(id);
    expect(await job!.getState()).toBe('failed');
    expect(job!.failedReason).toBe('job stalled more than allowable limit');
    expect(job!.stalledCounter).toBe(STALLS_TOLERATED + 1);

    const status = await request(ingest.getHttpServer()).get(`/api/v1/reports/${id}`).set('X-Api-Key', apiKey);
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ id, status: 'failed', failure_reason: reason });
  });
});
