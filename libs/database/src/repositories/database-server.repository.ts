import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../data-source-options';

const quoteIdentifier = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** The database a postgres URL names, and the URL of the `postgres` maintenance database beside it. */
export function splitDatabaseUrl(url: string): { name: string; maintenanceUrl: string } {
  const parsed = new URL(url);
  const name = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'postgres';
  parsed.pathname = '/postgres';
  return { name, maintenanceUrl: parsed.toString() };
}

/** Creates the database (optionally as a copy of a template) when it does not exist yet. */
export async function ensureDatabaseExists(url: string, template?: string): Promise<boolean> {
  const { name, maintenanceUrl } = splitDatabaseUrl(url);
  const client = new Client({ connectionString: maintenanceUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return false;
    const from = template ? ` TEMPLATE ${quoteIdentifier(template)}` : '';
    await client.query(`CREATE DATABASE ${quoteIdentifier(name)}${from}`);
    return true;
  } finally {
    await client.end();
  }
}

export async function dropDatabase(url: string): Promise<void> {
  const { name, maintenanceUrl } = splitDatabaseUrl(url);
  const client = new Client({ connectionString: maintenanceUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** Runs pending migrations; returns the names of those applied. */
export async function runMigrations(url: string): Promise<string[]> {
  const dataSource = new DataSource(dataSourceOptions({ url, poolSize: 2 }));
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await dataSource.destroy();
  }
}

/** What normalisation throughput depends on most (README "PostgreSQL settings"), and the smallest sizes advised. */
const ADVISED_MEGABYTES: Record<string, number> = { shared_buffers: 1024, max_wal_size: 16384 };

/**
 * The server's version, cache size and checkpoint spacing in one line, ending with a warning when they are below
 * what README "PostgreSQL settings" advises (a reused server keeps its own settings).
 */
export async function describeServerSettings(url: string): Promise<string> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string; value: string }>(
      `SELECT name, current_setting(name) AS value FROM pg_settings
        WHERE name IN ('server_version', 'shared_buffers', 'max_wal_size', 'checkpoint_timeout') ORDER BY name`,
    );
    return adviseOnServerSettings(rows);
  } finally {
    await client.end();
  }
}

/** Settings as one line, with a warning naming those below the advised sizes. */
export function adviseOnServerSettings(rows: readonly { name: string; value: string }[]): string {
  const settings = rows.map((row) => `${row.name}=${row.value}`).join(', ');
  const below = rows.filter((row) => toMegabytes(row.value) < (ADVISED_MEGABYTES[row.name] ?? 0));
  if (below.length === 0) return settings;
  const names = below.map((row) => row.name).join(', ');
  return `${settings}; below README "PostgreSQL settings" (${names}): normalisation will be slower`;
}

/** `128MB`, `4GB`... as megabytes (0 when not a size). */
function toMegabytes(size: string): number {
  const match = /^(\d+)\s*(kB|MB|GB|TB)$/.exec(size);
  if (!match) return 0;
  const factor = { kB: 1 / 1024, MB: 1, GB: 1024, TB: 1024 * 1024 }[match[2] as 'kB' | 'MB' | 'GB' | 'TB'];
  return Number(match[1]) * factor;
}
