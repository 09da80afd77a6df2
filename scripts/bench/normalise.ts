// `npm run bench:normalise -- [--indicators 1000000] [--report-size 2000] [--organisations 8] [--repeats 0.3]
//   [--workers 1]`
// Indicators normalised and stored per second by worker processes (the real entry point, apps/worker/src/main.ts),
// against the local PostgreSQL and Redis, in a throwaway database and Redis prefix created and dropped here.
// Reports are stored directly (SQL through ingest's intake writer), so HTTP is not measured.
// BENCH_WORKER_NODE_ARGS adds node options to the worker, e.g. "--cpu-prof --cpu-prof-dir=/tmp/worker-profile".
import 'reflect-metadata';
import { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { redisConnectionOptions } from '@vigia/common';
import { loadConfig } from '@vigia/config';
import {
  dataSourceOptions,
  describeServerSettings,
  dropDatabase,
  ensureDatabaseExists,
  runMigrations,
  splitDatabaseUrl,
} from '@vigia/database';
import { JobName, QueueName, jobOptionsFor, queueKeyPrefix } from '@vigia/queue';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { createOrganisation } from '../lib/organisation.factory';
import { storeReport } from '../lib/stored-report.factory';
import { seededRandom, syntheticReports } from '../lib/synthetic-reports';
import { freePort } from '../lib/free-port';
import { deleteKeys } from '../lib/redis-keys';
import { startApp } from './bench-env';

interface Options {
  indicators: number;
  reportSize: number;
  organisations: number;
  repeats: number;
  /** Share of reports shared as AMBER+STRICT or RED with one or two other organisations (their own audiences). */
  restricted: number;
  /** Worker processes consuming the reports queue at once (the effect of scaling workers by process). */
  workers: number;
}

function parseOptions(argv: string[]): Options {
  const options: Options = {
    indicators: 1_000_000,
    reportSize: 2000,
    organisations: 8,
    repeats: 0.3,
    restricted: 0,
    workers: 1,
  };
  const names: Record<string, keyof Options> = {
    '--indicators': 'indicators',
    '--report-size': 'reportSize',
    '--organisations': 'organisations',
    '--repeats': 'repeats',
    '--restricted': 'restricted',
    '--workers': 'workers',
  };
  for (let index = 0; index < argv.length; index += 2) {
    const key = names[argv[index]];
    const value = Number(argv[index + 1]);
    if (!key || !Number.isFinite(value) || value < 0) throw new Error(`usage: ${Object.keys(names).join(' N ')} N`);
    options[key] = value;
  }
  return options;
}

const say = (line: string): void => void process.stdout.write(`${line}\n`);
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const rate = (count: number, ms: number): string => `${Math.round((count / ms) * 1000).toLocaleString('en')}/s`;

/** CPU seconds a process has used (Linux /proc), to show where the time goes. */
function cpuSeconds(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** Busy and total CPU time of the whole machine so far (Linux /proc/stat), in clock ticks. */
function machineTicks(): { busy: number; total: number } | undefined {
  try {
    const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
    const ticks = fields.map(Number);
    const idle = ticks[3] + (ticks[4] ?? 0);
    const total = ticks.reduce((sum, value) => sum + value, 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const base = loadConfig(process.env);
  const tag = `${Date.now().toString(36)}_${process.pid}`;
  const databaseUrl = (() => {
    const url = new URL(base.database.url);
    url.pathname = `/vigia_bench_${tag}`;
    return url.toString();
  })();
  const prefix = `vigia-bench-${tag}`;
  say(`database ${splitDatabaseUrl(databaseUrl).name}, redis prefix ${prefix}`);
  await ensureDatabaseExists(databaseUrl);
  await runMigrations(databaseUrl);
  const dataSource = await new DataSource(dataSourceOptions({ url: databaseUrl, poolSize: 4 })).initialize();
  say(`PostgreSQL: ${await describeServerSettings(databaseUrl)}`);
  const redis = new Redis(base.redis.url, { maxRetriesPerRequest: 1 });
  const queue = new Queue(QueueName.Reports, {
    connection: redisConnectionOptions(base.redis.url),
    prefix: queueKeyPrefix(prefix),
  });
  const workers: ChildProcess[] = [];
  try {
    const organisations = await Promise.all(
      Array.from({ length: options.organisations }, () => createOrganisation(dataSource)),
    );
    let loading = Date.now();
    const reportIds: string[] = [];
    const sharing = seededRandom(20261130);
    for (const report of syntheticReports(options)) {
      const index = reportIds.length % organisations.length;
      const organisation = organisations[index];
      // Restricted reports go to small recipient lists (the next one or two organisations), alternating levels.
      const restricted = sharing() < options.restricted;
      const recipients = organisations
        .slice(index + 1, index + 1 + (sharing() < 0.5 ? 1 : 2))
        .concat(index + 1 >= organisations.length ? [organisations[0]] : [])
        .slice(0, 2)
        .map((recipient) => recipient.id);
      const scope = restricted ? { tlp: sharing() < 0.5 ? 'red' : 'amber+strict', tlpRecipients: recipients } : {};
      reportIds.push(await storeReport(dataSource, organisation.id, report, scope));
    }
    loading = Date.now() - loading;
    say(
      `stored ${reportIds.length} reports, ${options.indicators.toLocaleString('en')} indicators in ${seconds(loading)}`,
    );
    await dataSource.query('VACUUM ANALYZE');

    const dataKey = randomBytes(32).toString('base64');
    for (let index = 0; index < Math.max(1, options.workers); index += 1) {
      const port = await freePort();
      workers.push(
        await startApp(
          'worker',
          {
            DATABASE_URL: databaseUrl,
            REDIS_PREFIX: prefix,
            WORKER_PORT: String(port),
            LOG_LEVEL: 'warn',
            NODE_ENV: 'production',
            AUTH_JWT_SECRET: randomBytes(32).toString('hex'),
            DATA_ENCRYPTION_KEY: dataKey,
          },
          port,
          {
            nodeFlags: process.env.BENCH_WORKER_NODE_ARGS?.split(' ').filter(Boolean),
            stdio: ['ignore', 'ignore', 'inherit'],
          },
        ),
      );
    }
    const workersCpu = (): number => workers.reduce((sum, worker) => sum + (cpuSeconds(worker.pid) ?? 0), 0);
    const cpuBefore = workersCpu();
    const machineBefore = machineTicks();

    const started = Date.now();
    await queue.addBulk(
      reportIds.map((id) => ({
        name: JobName.NormaliseReport,
        data: { reportId: id },
        opts: jobOptionsFor(JobName.NormaliseReport, { jobId: id }),
      })),
    );
    let done = { normalised: 0, failed: 0 };
    while (done.normalised + done.failed < reportIds.length) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const [row] = await dataSource.query(
        `SELECT count(*) FILTER (WHERE status = 'normalised')::int AS normalised,
                count(*) FILTER (WHERE status = 'failed')::int AS failed FROM incident_reports`,
      );
      done = row;
      const exited = workers.find((worker) => worker.exitCode !== null);
      if (exited) throw new Error(`a worker exited with ${exited.exitCode}`);
    }
    const elapsed = Date.now() - started;
    const workerCpu = workersCpu() - cpuBefore;
    const machineAfter = machineTicks();

    const objects = (await dataSource.query(
      `SELECT type, count(*)::int AS rows, count(*) FILTER (WHERE is_latest)::int AS latest
         FROM stix_objects GROUP BY type ORDER BY rows DESC`,
    )) as { type: string; rows: number; latest: number }[];
    const [{ size }] = await dataSource.query(`SELECT pg_size_pretty(pg_database_size(current_database())) AS size`);
    // Stalls (lock waits, deadlock retries) show as long pauses between two reports finishing.
    const [{ pause }] = await dataSource.query(
      `SELECT COALESCE(max(gap), 0)::float8 AS pause FROM (SELECT extract(epoch FROM normalised_at - lag(normalised_at)
         OVER (ORDER BY normalised_at)) * 1000 AS gap FROM incident_reports WHERE normalised_at IS NOT NULL) AS gaps`,
    );
    say('');
    say(
      `normalised ${done.normalised} reports (${done.failed} failed) in ${seconds(elapsed)} with ${workers.length} worker process(es)`,
    );
    say(`indicators normalised and stored: ${rate(options.indicators, elapsed)}`);
    say(
      `stix_objects rows written: ${rate(
        objects.reduce((sum, row) => sum + row.rows, 0),
        elapsed,
      )}`,
    );
    say(`workers' CPU: ${workerCpu.toFixed(1)} s (${Math.round((workerCpu * 100_000) / elapsed)}% of one core)`);
    if (machineBefore && machineAfter) {
      const busy = (machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total);
      say(
        `machine CPU busy: ${Math.round(busy * 100)}% of ${cpus().length} cores (worker, PostgreSQL, Redis, this script)`,
      );
    }
    say(`database size: ${size}; longest pause between two reports finishing: ${Math.round(pause)} ms`);
    for (const { type, rows, latest } of objects)
      say(`  ${type.padEnd(20)} ${String(rows).padStart(9)} rows, ${latest} latest`);
    // The rate in each tenth of the run shows whether it slows as the tables grow.
    const finished = (await dataSource.query(
      `SELECT extract(epoch FROM normalised_at)::float8 * 1000 AS at FROM incident_reports
        WHERE normalised_at IS NOT NULL ORDER BY normalised_at`,
    )) as { at: number }[];
    const tenths: string[] = [];
    for (let tenth = 1; tenth <= 10 && finished.length >= 10; tenth += 1) {
      const from = tenth === 1 ? started : finished[Math.floor((finished.length * (tenth - 1)) / 10) - 1].at;
      const to = finished[Math.floor((finished.length * tenth) / 10) - 1].at;
      tenths.push(rate(options.indicators / 10, to - from).replace('/s', ''));
    }
    if (tenths.length > 0) say(`indicators/s by tenth of the run: ${tenths.join(' ')}`);
    if (done.failed > 0) process.exitCode = 1;
  } finally {
    await Promise.all(
      workers
        .filter((worker) => worker.exitCode === null)
        .map((worker) => {
          const exited = new Promise((resolve) => worker.once('exit', resolve));
          worker.kill('SIGTERM');
          return exited;
        }),
    );
    await queue.close();
    await deleteKeys(redis, `${prefix}*`);
    await deleteKeys(redis, `{${prefix}*`);
    await redis.quit();
    await dataSource.destroy();
    await dropDatabase(databaseUrl);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`benchmark failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
