import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { redisConnectionOptions } from '@vigia/common';
import { JOB_SCHEDULES, QueueName } from '@vigia/queue';
import { WarningEnvelope } from '@vigia/warning-stream';
import { Queue } from 'bullmq';
import { createOrganisationWithApiKey } from '../../scripts/lib/organisation.factory';
import { waitFor } from '../../scripts/lib/wait-for';
import { DisposableRedis } from '../support/redis-server';
import { ResumingSseClient } from '../support/resuming-sse-client';
import { TcpProxy } from '../support/tcp-proxy';
import { TestContext, createTestContext } from '../support/test-context';
import { WebhookReceiver } from '../support/webhook-receiver';
import { PlatformProcesses } from './platform-processes';
import { ReportFormat, SubmissionOutcome, submissionFor, submit } from './report-load';
import { transpilePlatform } from './transpile-platform';

/** Reports in flight at once (closed loop), and values per report. */
const CONCURRENCY = 4;
const INDICATORS_PER_REPORT = 3;
/** How long a client keeps retrying one report before the test counts it refused. */
const SUBMISSION_PATIENCE_MS = 60_000;
const PG_CUT_MS = 4_000;
const REDIS_DOWN_MS = 3_000;
/**
 * STIX objects a report writes per value it sent (and report objects): a STIX bundle's objects are kept as sent
 * (imported) beside the indicators and report Vigia builds from them; the other formats have only Vigia's.
 */
const COPIES: Record<ReportFormat, number> = { json: 1, csv: 1, misp: 1, stix: 2 };
const SCHEDULED_JOB_NAMES = new Set<string>(Object.keys(JOB_SCHEDULES));

jest.setTimeout(600_000);

/**
 * The whole platform as separate processes (two ingests, two workers, a portal) under a steady load of reports in
 * the four formats, with webhook and SSE subscribers attached, while its parts fail one after the other: a worker is
 * SIGKILLed and started again, Redis stops and starts empty, PostgreSQL is cut for a few seconds, the portal is
 * SIGKILLed under its SSE clients. Afterwards, from the database, the receivers and the streams: every accepted
 * report is normalised exactly once, no STIX object is written twice, every warning reached every receiver exactly
 * once after dedupe, and nothing is stuck or failed.
 *
 * PostgreSQL is cut with a TCP proxy the test owns in front of the shared server (the test's own database, copied
 * from the migrated template) rather than a private cluster it stops: for the apps it is the same fault (every
 * connection reset, new ones refused), it costs no initdb and no restart wait, and it works where the test may not
 * run PostgreSQL itself (as root, PostgreSQL refuses to start). The test's own checks bypass the proxy.
 */
describe('faults: the platform under load while its parts fail', () => {
  let context: TestContext;
  let redis: DisposableRedis;
  let postgres: TcpProxy;
  let receiver: WebhookReceiver;
  let platform: PlatformProcesses;
  let workDir: string;
  const streams: ResumingSseClient[] = [];
  let passed = false;

  beforeAll(async () => {
    workDir = mkdtempSync(path.join(tmpdir(), 'vigia-faults-'));
    transpilePlatform(path.join(workDir, 'platform'));
    redis = await DisposableRedis.start();
    receiver = await WebhookReceiver.start();
    context = await createTestContext({ REDIS_URL: redis.url });
    const direct = new URL(context.config.database.url);
    postgres = await TcpProxy.start(direct.hostname, Number(direct.port || 5432));
    const proxied = new URL(direct);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(postgres.port);
    platform = new PlatformProcesses(
      {
        NODE_ENV: 'test',
        LOG_LEVEL: process.env.FAULTS_LOG_LEVEL ?? 'warn',
        HOST: '127.0.0.1',
        DATABASE_URL: proxied.toString(),
        DATABASE_POOL_SIZE: '5',
        REDIS_URL: redis.url,
        REDIS_PREFIX: context.config.redis.prefix,
        OUTBOX_RELAY_INTERVAL_MS: '500',
        // A killed worker's jobs are taken over once their lock lapses: shorter than the default 30 s, but not so
        // short that a process starved of CPU for a few seconds (a busy 2-core machine) loses the locks of jobs it is
        // still running, which BullMQ fails once they have stalled twice.
        JOB_LOCK_DURATION_MS: '10000',
        INGEST_RATE_LIMIT_PER_MINUTE: '1000000',
        WEBHOOK_ALLOW_HTTP: 'true',
        WEBHOOK_ALLOWED_CIDRS: '127.0.0.0/8',
        WEBHOOK_RETRY_SCHEDULE_MS: '500,1000,2000,4000,8000',
        STREAM_HEARTBEAT_MS: '1000',
        STREAM_CLIENT_RETRY_MS: '300',
      },
      path.join(workDir, 'platform'),
      workDir,
    );
  });

  afterAll(async () => {
    await Promise.all(streams.map((stream) => stream.stop()));
    await platform?.stopAll();
    if (!passed && platform) process.stderr.write(`apps' last log lines:\n${platform.logTails()}\n`);
    await receiver?.close();
    await postgres?.cut();
    await redis?.start().catch(() => undefined); // cleanup() deletes this run's keys from it
    await context?.cleanup();
    await redis?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('loses nothing and duplicates nothing', async () => {
    const timeline: string[] = [];
    const started = Date.now();
    const mark = (what: string) => {
      const line = `${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s  ${what}`;
      timeline.push(line);
      process.stderr.write(`[faults] ${line}\n`);
    };
    // Start them together, each waits for its own /health.
    await Promise.all([
      platform.start('ingest-1', 'ingest'),
      platform.start('ingest-2', 'ingest'),
      platform.start('worker-1', 'worker'),
      platform.start('worker-2', 'worker'),
      platform.start('portal', 'portal'),
    ]);
    mark('platform up: 2 ingests, 2 workers, a portal');
    const reporters = await Promise.all([1, 2].map(() => createOrganisationWithApiKey(context.dataSource)));
    const subscribers = await Promise.all([1, 2].map(() => createOrganisationWithApiKey(context.dataSource)));
    for (const [index, { apiKey }] of subscribers.entries()) {
      const created = await fetch(`${platform.url('portal')}/api/v1/subscriptions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
        body: JSON.stringify({
          name: 'everything',
          channels: [{ type: 'webhook', url: receiver.url(`/subscriber-${index}`) }, { type: 'stream' }],
        }),
      });
      expect(created.status).toBe(201);
      streams.push(new ResumingSseClient(`${platform.url('portal')}/api/v1/stream`, { 'x-api-key': apiKey }));
    }
    await Promise.all(streams.map((stream) => stream.connected()));
    mark('subscribers connected; load starts');

    // The load: closed loops sending reports round-robin over the formats, the reporters and both ingests.
    const outcomes: SubmissionOutcome[] = [];
    let loading = true;
    let next = 0;
    const ingestUrls = [platform.url('ingest-1'), platform.url('ingest-2')];
    const load = Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (loading) {
          const index = next++;
          const urls = index % 2 === 0 ? ingestUrls : [...ingestUrls].reverse();
          outcomes.push(
            await submit(
              submissionFor(index, INDICATORS_PER_REPORT),
              urls,
              reporters[index % reporters.length]!.apiKey,
              Date.now() + SUBMISSION_PATIENCE_MS,
            ),
          );
        }
      }),
    );

    // The faults, one after the other, under the load.
    await delay(5_000);
    mark('SIGKILL worker-1');
    await platform.kill('worker-1');
    await delay(2_000);
    await platform.start('worker-1', 'worker');
    mark('worker-1 answers again');
    await delay(4_000);
    mark('Redis stops');
    await redis.stop();
    await delay(REDIS_DOWN_MS);
    await redis.start();
    mark('Redis starts, empty');
    await delay(6_000);
    mark('PostgreSQL cut');
    await postgres.cut();
    await delay(PG_CUT_MS);
    await postgres.restore();
    mark('PostgreSQL back');
    await delay(6_000);
    const connectionsBefore = streams.map((stream) => stream.connections);
    mark('SIGKILL portal');
    await platform.kill('portal');
    await platform.start('portal', 'portal');
    mark('portal answers again');
    await waitFor(
      'the SSE clients to resume',
      async () => (streams.every((stream, index) => stream.connections > connectionsBefore[index]!) ? true : undefined),
      { timeoutMs: 60_000 },
    );
    mark('SSE clients resumed');
    await delay(5_000);
    loading = false;
    await load;
    mark(`load stopped after ${outcomes.length} reports`);

    const accepted = outcomes.filter((outcome) => outcome.reportId !== undefined);
    const refused = outcomes.filter((outcome) => outcome.reportId === undefined);
    const acceptedIds = accepted.map((outcome) => outcome.reportId!);
    const receivers = [
      ...subscribers.map((_, index) => ({
        name: `webhook ${index}`,
        warnings: () =>
          receiver.requestsTo(`/subscriber-${index}`).map((request) => ({
            dedupeId: String(request.headers['webhook-id']),
            envelope: JSON.parse(request.body) as WarningEnvelope,
          })),
      })),
      ...streams.map((stream, index) => ({
        name: `stream ${index}`,
        warnings: () =>
          stream.messages
            .filter((message) => message.event === 'indicator.warning')
            .map((message) => {
              const envelope = JSON.parse(message.data!) as WarningEnvelope;
              return { dedupeId: envelope.id, envelope };
            }),
      })),
    ];
    const countOf = async (sql: string, parameters: unknown[] = []) =>
      Number(((await context.dataSource.query(sql, parameters)) as { count: string }[])[0]!.count);

    // Drain: every accepted report normalised and its warnings at every receiver (or the time runs out: the checks
    // below then say what is missing).
    await waitFor(
      'every accepted report to be normalised and warned about',
      async () => {
        const normalised = await countOf(
          `SELECT count(*) FROM incident_reports WHERE id = ANY($1) AND status = 'normalised'`,
          [acceptedIds],
        );
        if (normalised < acceptedIds.length) return undefined;
        const everywhere = receivers.every(
          (each) => new Set(each.warnings().map((warning) => warning.envelope.report.id)).size >= acceptedIds.length,
        );
        return everywhere ? true : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    ).catch(() => undefined);
    await waitForQueues(context, 30_000).catch(() => undefined);
    // Every finished job leaves the outbox: at once, or (a worker killed between finishing a job and settling it) at
    // the relay's next audit of jobs relayed a minute ago.
    await waitFor(
      'the outbox to empty',
      async () => ((await countOf(`SELECT count(*) FROM outbox_jobs`)) === 0 ? true : undefined),
      { timeoutMs: 120_000, intervalMs: 1_000 },
    ).catch(() => undefined);
    mark('drained');
    // A last relay pass and any retried job would show up now as a duplicate.
    await delay(2_000);

    // Every submission answered 202 in the end (retried with its Idempotency-Key while a dependency was down).
    expect(refused.map((outcome) => `${outcome.submission.format}: ${outcome.lastRefusal}`)).toEqual([]);
    // Retries made no second report, and each accepted report is normalised.
    const reporterIds = reporters.map((reporter) => reporter.organisation.id);
    const stored = await countOf(`SELECT count(*) FROM incident_reports WHERE organisation_id = ANY($1)`, [
      reporterIds,
    ]);
    const normalised = await countOf(
      `SELECT count(*) FROM incident_reports WHERE id = ANY($1) AND status = 'normalised'`,
      [acceptedIds],
    );
    const failedReports = await countOf(`SELECT count(*) FROM incident_reports WHERE status <> 'normalised'`);
    // Normalised exactly once: each report wrote its report object(s) and indicators once (COPIES).
    const written = (await context.dataSource.query(
      `SELECT report_id, count(*) FILTER (WHERE type = 'indicator')::int AS indicators,
              count(*) FILTER (WHERE type = 'report')::int AS reports
         FROM stix_objects WHERE report_id = ANY($1) GROUP BY report_id`,
      [acceptedIds],
    )) as { report_id: string; indicators: number; reports: number }[];
    const writtenBy = new Map(written.map((row) => [row.report_id, row]));
    const miswritten = accepted
      .map((outcome) => ({
        id: outcome.reportId!,
        format: outcome.submission.format,
        ...writtenBy.get(outcome.reportId!),
      }))
      .filter(
        (row) => row.indicators !== INDICATORS_PER_REPORT * COPIES[row.format] || row.reports !== COPIES[row.format],
      );
    // No STIX object written twice by one report (a normalisation run again would write a second version). A STIX
    // bundle's indicator may share its id with the one Vigia builds from it: the copy kept as sent is `imported`.
    const duplicatedObjects = await countOf(
      `SELECT count(*) FROM (SELECT 1 FROM stix_objects WHERE report_id IS NOT NULL
                               GROUP BY stix_id, audience_key, report_id, imported HAVING count(*) > 1) AS twice`,
    );

    // Warnings: one per (report, receiver) after dedupe, none missing.
    let delivered = 0;
    let duplicateWarnings = 0;
    let lostWarnings = 0;
    const problems: string[] = [];
    for (const each of receivers) {
      const idsByReport = new Map<string, Set<string>>();
      for (const { dedupeId, envelope } of each.warnings()) {
        const ids = idsByReport.get(envelope.report.id) ?? new Set<string>();
        ids.add(dedupeId);
        idsByReport.set(envelope.report.id, ids);
      }
      for (const id of acceptedIds) {
        const ids = idsByReport.get(id)?.size ?? 0;
        if (ids === 0) {
          lostWarnings += 1;
          problems.push(`${each.name}: no warning about report ${id}`);
        } else delivered += 1;
        if (ids > 1) {
          duplicateWarnings += ids - 1;
          problems.push(`${each.name}: ${ids} different warnings about report ${id}`);
        }
      }
      const strangers = [...idsByReport.keys()].filter((id) => !acceptedIds.includes(id));
      if (strangers.length > 0) problems.push(`${each.name}: warnings about reports never accepted: ${strangers}`);
    }

    // Nothing stuck: no job waiting or failed, no outbox row unsettled, no delivery left undelivered.
    const queueCounts = await jobCounts(context);
    const outbox = (await context.dataSource.query(
      `SELECT job_name, count(*)::int AS jobs FROM outbox_jobs GROUP BY job_name ORDER BY job_name`,
    )) as { job_name: string; jobs: number }[];
    const undelivered = await countOf(`SELECT count(*) FROM webhook_deliveries WHERE status <> 'delivered'`);

    const lost = acceptedIds.length - normalised + lostWarnings;
    const duplicates = stored - acceptedIds.length + miswritten.length + duplicatedObjects + duplicateWarnings;
    process.stdout.write(
      [
        `faults timeline:\n  ${timeline.join('\n  ')}`,
        `submissions: ${outcomes.length}, retried: ${outcomes.filter((o) => o.attempts > 1).length}, ` +
          `SSE connections: ${streams.map((stream) => stream.connections).join(', ')}`,
        `accepted ${acceptedIds.length}, normalised ${normalised}, delivered ${delivered}, duplicates ${duplicates}, lost ${lost}`,
        '',
      ].join('\n'),
    );

    expect(acceptedIds.length).toBeGreaterThan(40);
    // All at once, so a failure shows every figure that is off.
    expect({
      stored,
      normalised,
      failedReports,
      miswritten,
      duplicatedObjects,
      problems: problems.slice(0, 20),
      delivered,
      queueCounts,
      outbox,
      undelivered,
      duplicates,
      lost,
    }).toEqual({
      stored: acceptedIds.length,
      normalised: acceptedIds.length,
      failedReports: 0,
      miswritten: [],
      duplicatedObjects: 0,
      problems: [],
      delivered: acceptedIds.length * receivers.length,
      queueCounts: { unfinished: 0, failed: [] },
      outbox: [],
      undelivered: 0,
      duplicates: 0,
      lost: 0,
    });
    passed = true;
  });
});

/** Jobs of every queue not finished (timed jobs' next runs aside) and jobs that failed for good. */
async function jobCounts(context: TestContext): Promise<{ unfinished: number; failed: string[] }> {
  const queues = Object.values(QueueName).map(
    (name) =>
      new Queue(name, {
        connection: redisConnectionOptions(context.config.redis.url),
        prefix: context.config.redis.prefix,
      }),
  );
  try {
    let unfinished = 0;
    const failed: string[] = [];
    for (const queue of queues) {
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      const timed = (await queue.getDelayed()).filter((job) => SCHEDULED_JOB_NAMES.has(job.name)).length;
      unfinished += counts.waiting! + counts.active! + counts.delayed! + counts.prioritized! - timed;
      for (const job of await queue.getFailed()) failed.push(`${job.name} ${job.id}: ${job.failedReason}`);
    }
    return { unfinished, failed };
  } finally {
    await Promise.all(queues.map((queue) => queue.close()));
  }
}

async function waitForQueues(context: TestContext, timeoutMs: number): Promise<void> {
  await waitFor('the queues to drain', async () => ((await jobCounts(context)).unfinished === 0 ? true : undefined), {
    timeoutMs,
    intervalMs: 500,
  });
}
