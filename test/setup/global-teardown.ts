import 'tsconfig-paths/register'; // globalTeardown runs outside jest's module mapper
import { Client } from 'pg';
import { TEST_DATABASE_PREFIX, maintenanceUrl } from './test-run';

export default async function globalTeardown(): Promise<void> {
  const runId = process.env.VIGIA_TEST_RUN_ID;
  if (!runId) return;
  const client = new Client({ connectionString: maintenanceUrl() });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [
      `${TEST_DATABASE_PREFIX}${runId}%`,
    ]);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
