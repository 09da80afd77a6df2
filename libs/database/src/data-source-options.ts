import { DataSource, DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

/** How a read replica's pool differs: its connections' name, a connection deadline, no extension installs. */
export interface ReplicaPoolOptions {
  applicationName: string;
  connectTimeoutMs: number;
}

/** The one place that says how Vigia talks to PostgreSQL. Schema changes only by migration. */
export function dataSourceOptions(
  database: { url: string; poolSize: number },
  replica?: ReplicaPoolOptions,
): DataSourceOptions {
  return {
    type: 'postgres',
    url: database.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    extra: {
      max: database.poolSize,
      ...(replica && {
        application_name: replica.applicationName,
        connectionTimeoutMillis: replica.connectTimeoutMs,
      }),
    },
    // A standby refuses CREATE EXTENSION; the primary's migrations installed what is needed.
    ...(replica && { installExtensions: false }),
  };
}

/** A connected data source outside Nest (CLIs, scripts): hand it to repositories, `destroy()` it when done. */
export function connectDatabase(database: { url: string; poolSize: number }): Promise<DataSource> {
  return new DataSource(dataSourceOptions(database)).initialize();
}
