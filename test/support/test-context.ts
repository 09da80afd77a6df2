import { randomBytes } from 'node:crypto';
import { AppConfig, loadConfig } from '@vigia/config';
import { dropDatabase, ensureDatabaseExists } from '@vigia/database';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@vigia/database';
import { deleteKeys } from '../../scripts/lib/redis-keys';
import { databaseUrlNamed } from '../setup/test-run';

/** One e2e file's private world: its own database (a copy of the migrated template) and Redis prefix. */
export interface TestContext {
  config: AppConfig;
  dataSource: DataSource;
  redis: Redis;
  cleanup(): Promise<void>;
}

export async function createTestContext(env: NodeJS.ProcessEnv = {}): Promise<TestContext> {
  const runId = process.env.VIGIA_TEST_RUN_ID;
  const template = process.env.VIGIA_TEST_TEMPLATE;
  if (!runId || !template) throw new Error('e2e tests need jest globalSetup (run them with `npm test`)');
  const suffix = randomBytes(4).toString('hex');
  const databaseUrl = databaseUrlNamed(`${template}_${suffix}`);
  await ensureDatabaseExists(databaseUrl, template);
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    DATABASE_URL: databaseUrl,
    REDIS_PREFIX: `vigia-test-${runId}-${suffix}`,
    ...env,
  });
  const dataSource = await new DataSource(dataSourceOptions({ url: databaseUrl, poolSize: 4 })).initialize();
  const redis = new Redis(config.redis.url, { maxRetriesPerRequest: 1 });
  return {
    config,
    dataSource,
    redis,
    async cleanup() {
      await dataSource.destroy();
      // Keys under the prefix, and those whose hash tag starts with it (queues, rate limits).
      await deleteKeys(redis, `${config.redis.prefix}*`);
      await deleteKeys(redis, `{${config.redis.prefix}*`);
      await redis.quit();
      await dropDatabase(databaseUrl);
    },
  };
}
