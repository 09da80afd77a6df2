import { DataSource, DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

/** The one place that says how Vigia talks to PostgreSQL. Schema changes only by migration. */
export function dataSourceOptions(database: { url: string; poolSize: number }): DataSourceOptions {
  return {
    type: 'postgres',
    url: database.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    extra: { max: database.poolSize },
  };
}

/** A connected data source outside Nest (CLIs, scripts): hand it to repositories, `destroy()` it when done. */
export function connectDatabase(database: { url: string; poolSize: number }): Promise<DataSource> {
  return new DataSource(dataSourceOptions(database)).initialize();
}
