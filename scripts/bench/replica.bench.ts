// `npm run bench:replica -- [--indicators 100000] [--seconds 20] [--clients 8] [--write-batch 200]`
// Indicator search on the primary alone, then with a streaming replica (DATABASE_READ_URL), both while a write load
// runs on the primary: a private primary (initdb, PostgreSQL's default settings, durable) and its replica
// (pg_basebackup) on this machine, the real portal over HTTP with API keys of organisations that never write, and a
// writer storing STIX indicators and refreshing the search view as normalisation does. Prints throughput and
// p50/p95 of the searches, and the writes/s, for each.
import 'reflect-metadata';
import { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { TlpLevel } from '@vigia/indicators';
import { IndicatorRepository, dataSourceOptions, ensureDatabaseExists, runMigrations } from '@vigia/database';
import { audienceKeyOf } from '@vigia/sharing';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { spawnApp } from '../lib/app-process';
import { freePort } from '../lib/free-port';
import { deleteKeys } from '../lib/redis-keys';
import { ReplicaCluster, startPrimary } from '../lib/replica-cluster';
import { insertStixVersions } from '../lib/stix-object.factory';
import { syntheticIndicator } from '../lib/stored-report.factory';
import { seededRandom } from '../lib/synthetic-reports';
import { waitFor } from '../lib/wait-for';
import { arg, machine, percentile, seedOrganisation, stopApp } from './bench-env';

const say = (line: string): void => void process.stdout.write(`${line}\n`);
const SETTINGS = { decay: {}, falsePositiveThreshold: 0 };

interface Phase {
  name: string;
  searches: number;
  perSecond: number;
  p50: number;
  p95: number;
  writesPerSecond: number;
}

/** Stores `count` public indicators from `from` on (as normalisation would) and builds their search rows. */
async function storeIndicators(dataSource: DataSource, ownerId: string, from: number, count: number): Promise<void> {
  const specs = Array.from({ length: count }, (_, index) => {
    const indicator = syntheticIndicator(from + index);
    return { ownerId, tlp: TlpLevel.Green, indicatorType: indicator.type, indicatorValue: indicator.value };
  });
  const ids = await insertStixVersions(dataSource, specs);
  const audienceKey = audienceKeyOf({ ownerId, tlp: TlpLevel.Green, recipients: [] });
  await new IndicatorRepository(dataSource).refresh(
    ids.map((stixId) => ({ stixId, audienceKey })),
    SETTINGS,
  );
}

async function main(): Promise<void> {
  const options = {
    indicators: arg('indicators', 100_000),
    seconds: arg('seconds', 20),
    clients: arg('clients', 8),
    writeBatch: arg('write-batch', 200),
  };
  let cluster: ReplicaCluster | undefined;
  let dataSource: DataSource | undefined;
  let portal: ChildProcess | undefined;
  const prefix = `vigia-bench-replica-${randomBytes(3).toString('hex')}`;
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  try {
    say(`machine: ${machine()}`);
    cluster = await startPrimary({ durable: true });
    const url = cluster.primaryUrl('vigia');
    await ensureDatabaseExists(url);
    await runMigrations(url);
    dataSource = await new DataSource(dataSourceOptions({ url, poolSize: 4 })).initialize();
    const writer = await seedOrganisation(dataSource, 'Writing CSIRT');
    const readers = await Promise.all(
      Array.from({ length: 4 }, (_, index) => seedOrganisation(dataSource!, `Reading CSIRT ${index}`)),
    );
    let started = Date.now();
    for (let from = 0; from < options.indicators; from += 5000) {
      await storeIndicators(dataSource, writer.id, from, Math.min(5000, options.indicators - from));
    }
    await dataSource.query('VACUUM ANALYZE');
    say(
      `stored ${options.indicators.toLocaleString('en')} indicators in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    started = Date.now();
    await cluster.startReplica();
    say(`base backup and replica start: ${((Date.now() - started) / 1000).toFixed(1)} s`);

    const random = seededRandom(20261220);
    const known = (): string => syntheticIndicator(Math.floor(random() * options.indicators)).value;
    const queries = [
      () => `?value=${encodeURIComponent(known())}`,
      () => `?domain=bad.example&limit=100`,
      () => `?type=ipv4,domain,url&min_score=20&active=true&sort=score&limit=100`,
    ];
    let nextWrite = options.indicators;

    const phase = async (name: string, env: Record<string, string>): Promise<Phase> => {
      const port = await freePort();
      portal = spawnApp(
        'portal',
        {
          NODE_ENV: 'production',
          LOG_LEVEL: 'warn',
          AUTH_JWT_SECRET: randomBytes(32).toString('hex'),
          DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
          DATABASE_URL: url,
          DATABASE_POOL_SIZE: '10',
          REDIS_URL: redisUrl,
          REDIS_PREFIX: prefix,
          PORTAL_PORT: String(port),
          ...env,
        },
        { stdio: ['ignore', 'inherit', 'inherit'] },
      );
      // A loaded machine (other engineers' test runs) may take minutes to compile and boot the portal.
      await waitFor(
        'the portal to answer /health',
        async () => {
          if (portal?.exitCode !== null) throw new Error(`the portal exited with code ${portal?.exitCode}`);
          const response = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined);
          return response?.ok ? true : undefined;
        },
        { timeoutMs: 300_000, intervalMs: 500 },
      );
      const base = `http://127.0.0.1:${port}/api/v1/indicators`;
      const search = async (client: number): Promise<void> => {
        const query = queries[Math.floor(random() * queries.length)]!();
        const response = await fetch(`${base}${query}`, {
          headers: { 'X-Api-Key': readers[client % readers.length]!.apiKey },
        }).catch((error: unknown) => {
          const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
          throw new Error(`${query.slice(0, 60)}: no answer${cause}`);
        });
        if (response.status !== 200) throw new Error(`${query.slice(0, 60)}: ${response.status}`);
        await response.arrayBuffer();
      };
      for (let warm = 0; warm < 30; warm += 1) await search(warm);
      const deadline = Date.now() + options.seconds * 1000;
      let written = 0;
      const writing = (async () => {
        while (Date.now() < deadline) {
          await storeIndicators(dataSource!, writer.id, nextWrite, options.writeBatch);
          nextWrite += options.writeBatch;
          written += options.writeBatch;
        }
      })();
      const times: number[] = [];
      const measuredFrom = Date.now();
      await Promise.all(
        Array.from({ length: options.clients }, async (_, client) => {
          while (Date.now() < deadline) {
            const start = process.hrtime.bigint();
            await search(client);
            times.push(Number(process.hrtime.bigint() - start) / 1e6);
          }
        }),
      );
      const elapsed = (Date.now() - measuredFrom) / 1000;
      await writing;
      await stopApp(portal);
      portal = undefined;
      times.sort((a, b) => a - b);
      return {
        name,
        searches: times.length,
        perSecond: times.length / elapsed,
        p50: percentile(times, 50),
        p95: percentile(times, 95),
        writesPerSecond: written / elapsed,
      };
    };

    say(
      `load average before the phases: ${loadavg()
        .map((load) => load.toFixed(1))
        .join(' ')}`,
    );
    const results = [
      await phase('primary only', {}),
      await phase('with the replica (DATABASE_READ_URL)', { DATABASE_READ_URL: cluster.replicaUrl('vigia') }),
    ];
    say(
      `load average after: ${loadavg()
        .map((load) => load.toFixed(1))
        .join(' ')}`,
    );
    say(
      `${options.clients} clients searching for ${options.seconds} s each (exact value, domain suffix page, filtered ` +
        `page), a writer storing ${options.writeBatch} indicators a statement and refreshing their search rows:`,
    );
    say(
      `${'phase'.padEnd(40)} ${'searches/s'.padStart(10)} ${'p50'.padStart(9)} ${'p95'.padStart(9)} ${'writes/s'.padStart(9)}`,
    );
    for (const result of results) {
      say(
        `${result.name.padEnd(40)} ${result.perSecond.toFixed(1).padStart(10)} ${`${result.p50.toFixed(1)} ms`.padStart(9)} ` +
          `${`${result.p95.toFixed(1)} ms`.padStart(9)} ${result.writesPerSecond.toFixed(0).padStart(9)}`,
      );
    }
  } finally {
    if (portal) await stopApp(portal);
    await dataSource?.destroy();
    const redis = new Redis(redisUrl);
    await deleteKeys(redis, `${prefix}*`);
    await redis.quit();
    await cluster?.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`benchmark failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
