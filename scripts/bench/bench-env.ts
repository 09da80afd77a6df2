import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import path from 'node:path';
import { generateApiKey } from '@vigia/auth';
import { AppConfig, loadConfig } from '@vigia/config';
import { dataSourceOptions, dropDatabase, ensureDatabaseExists, runMigrations } from '@vigia/database';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { deleteKeys } from '../../test/support/test-context';

export const ROOT = path.resolve(__dirname, '../..');

/** A throwaway database and Redis prefix for one benchmark run, removed afterwards. */
export interface BenchEnvironment {
  config: AppConfig;
  env: Record<string, string>;
  dataSource: DataSource;
  close(): Promise<void>;
}

export async function createBenchEnvironment(overrides: Record<string, string> = {}): Promise<BenchEnvironment> {
  const base = loadConfig(process.env);
  const tag = `${Date.now().toString(36)}_${randomBytes(2).toString('hex')}`;
  const url = new URL(base.database.url);
  url.pathname = `/vigia_bench_${tag}`;
  const env = {
    DATABASE_URL: url.toString(),
    REDIS_URL: base.redis.url,
    REDIS_PREFIX: `vigia-bench-${tag}`,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    ...overrides,
  };
  const config = loadConfig({ ...process.env, ...env });
  await ensureDatabaseExists(config.database.url);
  await runMigrations(config.database.url);
  const dataSource = await new DataSource(dataSourceOptions({ url: config.database.url, poolSize: 4 })).initialize();
  return {
    config,
    env,
    dataSource,
    async close() {
      await dataSource.destroy();
      const redis = new Redis(config.redis.url);
      await deleteKeys(redis, `${config.redis.prefix}*`);
      await redis.quit();
      await dropDatabase(config.database.url);
    },
  };
}

/** An active organisation with an API key; returns the secret. */
export async function seedOrganisation(dataSource: DataSource, name: string): Promise<{ id: string; apiKey: string }> {
  const [organisation] = (await dataSource.query(
    `INSERT INTO organisations (name, short_name, status, country_code) VALUES ($1, $2, 'active', 'UY') RETURNING id`,
    [name, `${name.toLowerCase().replace(/\W+/g, '-')}-${randomBytes(2).toString('hex')}`],
  )) as { id: string }[];
  const key = generateApiKey();
  await dataSource.query(
    `INSERT INTO api_keys (organisation_id, name, prefix, key_hash) VALUES ($1, 'bench', $2, $3)`,
    [organisation!.id, key.prefix, key.hash],
  );
  return { id: organisation!.id, apiKey: key.secret };
}

/**
 * Node options of each app as `npm run start:<app>` gives them: the worker's larger young generation means far fewer
 * collections of its short-lived STIX batches (7 % less worker CPU over a million indicators).
 */
export const APP_NODE_FLAGS: Record<'ingest' | 'worker' | 'portal', string[]> = {
  ingest: [],
  worker: ['--max-semi-space-size=64'],
  portal: [],
};

/** Runs an app's real entry point in its own process (as in production), resolving once it listens. */
export async function startApp(
  app: 'ingest' | 'worker' | 'portal',
  env: Record<string, string>,
  port: number,
): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      ...APP_NODE_FLAGS[app],
      ...(process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? []),
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      'tsconfig-paths/register',
      `apps/${app}/src/main.ts`,
    ],
    { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health`);
      if (response.ok) return child;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) throw new Error(`${app} exited with code ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error(`${app} did not answer /health within 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function stopApp(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const arg = (name: string, fallback: number): number => {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
};

export function machine(): string {
  return `${cpus().length} cores (${cpus()[0]?.model.trim()}), ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`;
}
