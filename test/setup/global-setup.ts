// Once per jest run: a migrated template database that every e2e file copies, so runs never share data.
import 'tsconfig-paths/register'; // globalSetup runs outside jest's module mapper
import 'reflect-metadata';
import { ensureDatabaseExists, runMigrations } from '@vigia/database';
import { Client } from 'pg';
import { TEST_DATABASE_PREFIX, databaseUrlNamed, maintenanceUrl } from './test-run';

const STALE_AFTER_MS = 6 * 3600 * 1000;

/** Drops test databases left behind by runs that crashed hours ago (never those of a live run). */
async function dropStaleTestDatabases(): Promise<void> {
  const client = new Client({ connectionString: maintenanceUrl() });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [
      `${TEST_DATABASE_PREFIX}%`,
    ]);
    for (const { datname } of rows) {
      const started = parseInt(datname.slice(TEST_DATABASE_PREFIX.length).split('_')[0] ?? '', 36);
      if (Number.isFinite(started) && Date.now() - started > STALE_AFTER_MS) {
        await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      }
    }
  } finally {
    await client.end();
  }
}

export default async function globalSetup(): Promise<void> {
  const runId = `${Date.now().toString(36)}_${process.pid}`;
  const template = `${TEST_DATABASE_PREFIX}${runId}`;
  await dropStaleTestDatabases();
  const templateUrl = databaseUrlNamed(template);
  await ensureDatabaseExists(templateUrl);
  await runMigrations(templateUrl);
  // Workers inherit the parent's environment.
  process.env.VIGIA_TEST_RUN_ID = runId;
  process.env.VIGIA_TEST_TEMPLATE = template;
}
