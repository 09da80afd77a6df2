import { ChildProcess } from 'node:child_process';
import { redisConnectionOptions } from '@vigia/common';
import { JobName, QueueName, jobOptionsFor, queueKeyPrefix } from '@vigia/queue';
import { Queue } from 'bullmq';
import { createOrganisation } from '../../scripts/lib/organisation.factory';
import { StoredIndicator, publicIndicators, storeReport } from '../../scripts/lib/stored-report.factory';
import { freePort } from '../../scripts/lib/free-port';
import { TestContext, createTestContext } from '../support/test-context';
import { waitFor } from '../../scripts/lib/wait-for';
import { healthy, killAll, startWorker, stopped } from '../support/worker-process';

const REPORTS = 24;
const VALUES_PER_REPORT = 800;

jest.setTimeout(180_000);

describe('worker: killed in the middle of a batch', () => {
  let context: TestContext;
  let reports: Queue;
  let warnings: Queue;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    context = await createTestContext();
    const connection = redisConnectionOptions(context.config.redis.url);
    reports = new Queue(QueueName.Reports, { connection, prefix: queueKeyPrefix(context.config.redis.prefix) });
    warnings = new Queue(QueueName.Warnings, { connection, prefix: queueKeyPrefix(context.config.redis.prefix) });
  });

  afterAll(async () => {
    await killAll(children);
    await reports?.close();
    await warnings?.close();
    await context?.cleanup();
  });

  it('loses no report and duplicates nothing once a new worker takes over', async () => {
    // Three organisations, reports sharing half their values, so the killed jobs held shared rows.
    const organisations = await Promise.all([1, 2, 3].map(() => createOrganisation(context.dataSource)));
    const pool = publicIndicators(VALUES_PER_REPORT * 4, 42);
    const reportIds: string[] = [];
    const contents = new Map<string, StoredIndicator[]>();
    for (let index = 0; index < REPORTS; index += 1) {
      const shared = pool.slice((index % 8) * (VALUES_PER_REPORT / 2), ((index % 8) + 1) * (VALUES_PER_REPORT / 2));
      const indicators = [...shared, ...publicIndicators(VALUES_PER_REPORT / 2, 100 + index)];
      const id = await storeReport(context.dataSource, organisations[index % 3].id, indicators);
      reportIds.push(id);
      contents.set(id, indicators);
    }

    const port = await freePort();
    const first = startWorker(context, port);
    children.push(first);
    await healthy(port, first);
    await reports.addBulk(
      reportIds.map((id) => ({
        name: JobName.NormaliseReport,
        data: { reportId: id },
        opts: jobOptionsFor(JobName.NormaliseReport, { jobId: id }),
      })),
    );
    const count = async (status: string): Promise<number> =>
      Number(
        (await context.dataSource.query(`SELECT count(*) FROM incident_reports WHERE status = $1`, [status]))[0].count,
      );
    await waitFor(
      'the first reports to be normalised',
      async () => ((await count('normalised')) >= 2 ? true : undefined),
      {
        timeoutMs: 60_000,
        intervalMs: 10,
      },
    );
    first.kill('SIGKILL');
    await stopped(first);
    const normalisedAtKill = await count('normalised');
    expect(normalisedAtKill).toBeLessThan(REPORTS);
    // Jobs the killed worker was running stay active (their transactions rolled back) until taken over as stalled.
    expect(await reports.getActiveCount()).toBeGreaterThan(0);

    const second = startWorker(context, await freePort());
    children.push(second);
    await waitFor(
      'every report to be normalised',
      async () => ((await count('normalised')) === REPORTS ? true : undefined),
      {
        timeoutMs: 120_000,
        intervalMs: 200,
      },
    );
    expect(await count('failed')).toBe(0);

    // One version per (value, report): none written twice, none missing.
    const [versions] = await context.dataSource.query(
      `SELECT count(*)::int AS rows, count(DISTINCT (stix_id, report_id))::int AS pairs,
              count(DISTINCT stix_id)::int AS indicators, count(*) FILTER (WHERE is_latest)::int AS latest
         FROM stix_objects WHERE type = 'indicator'`,
    );
    const pairs = [...contents.values()].reduce((sum, indicators) => sum + indicators.length, 0);
    const distinct = new Set([...contents.values()].flat().map((indicator) => indicator.value)).size;
    expect(versions).toEqual({ rows: pairs, pairs, indicators: distinct, latest: distinct });

    // Each report counted once per value, and every indicator's organisation count matches its correlations.
    const [correlations] = await context.dataSource.query(
      `SELECT sum(report_count)::int AS reports,
              count(*) FILTER (WHERE c.organisations <> s.org_count)::int AS mismatched
         FROM (SELECT indicator_id, sum(report_count) AS report_count, count(*) AS organisations
                 FROM indicator_correlations GROUP BY indicator_id) AS c
         JOIN stix_objects s ON s.stix_id = c.indicator_id AND s.is_latest`,
    );
    expect(correlations).toEqual({ reports: pairs, mismatched: 0 });
    expect(
      Number((await context.dataSource.query(`SELECT count(*) FROM stix_objects WHERE type = 'report'`))[0].count),
    ).toBe(REPORTS);
    // One warnings job per report, whether the fan-out already ran it or not (job id = report id: no duplicates).
    // A report commits before its job queues the warnings and completes: wait for every job to complete first.
    await waitFor('every normalisation job to complete', async () =>
      (await reports.getCompletedCount()) === REPORTS ? true : undefined,
    );
    const counts = await warnings.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed');
    expect(Object.values(counts).reduce((sum, n) => sum + n, 0)).toBe(REPORTS);
  });
});
