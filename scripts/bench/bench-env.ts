import { ChildProcess, StdioOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import { ALL_SCOPES, generateApiKey } from '@vigia/auth';
import { AppConfig, loadConfig } from '@vigia/config';
import { dataSourceOptions, dropDatabase, ensureDatabaseExists, runMigrations } from '@vigia/database';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { AppName, healthy, spawnApp } from '../lib/app-process';
import { deleteKeys } from '../lib/redis-keys';

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
    AUTH_JWT_SECRET: randomBytes(32).toString('hex'),
    DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
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
      await deleteKeys(redis, `{${config.redis.prefix}*`);
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
    `INSERT INTO api_keys (organisation_id, name, prefix, key_hash, scopes) VALUES ($1, 'bench', $2, $3, $4)`,
    [organisation!.id, key.prefix, key.hash, ALL_SCOPES],
  );
  return { id: organisation!.id, apiKey: key.secret };
}

/** Runs an app's real entry point in its own process (as in production), resolving once it listens. */
export async function startApp(
  app: AppName,
  env: Record<string, string>,
  port: number,
  options: { nodeFlags?: string[]; stdio?: StdioOptions } = {},
): Promise<ChildProcess> {
  const child = spawnApp(app, env, {
    nodeFlags: process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean),
    stdio: ['ignore', 'inherit', 'inherit'],
    ...options,
  });
  await healthy(port, child, app);
  return child;
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
