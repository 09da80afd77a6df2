import { loadConfig } from '@vigia/config';
import { splitDatabaseUrl } from '@vigia/database';

/** Test databases are named `vigia_test_<run>[_<file>]`; the run id starts with a base-36 timestamp. */
export const TEST_DATABASE_PREFIX = 'vigia_test_';

export const baseDatabaseUrl = (): string => loadConfig(process.env).database.url;

export function databaseUrlNamed(name: string): string {
  const url = new URL(baseDatabaseUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

export const maintenanceUrl = (): string => splitDatabaseUrl(baseDatabaseUrl()).maintenanceUrl;
