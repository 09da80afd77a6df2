// `npm run migration:run`: creates the database when missing, then applies pending migrations.
import 'reflect-metadata';
import { loadConfigOrExit } from '@vigia/config';
import {
  describeServerSettings,
  ensureDatabaseExists,
  runMigrations,
} from '../repositories/database-server.repository';

async function main(): Promise<void> {
  const { database } = loadConfigOrExit();
  if (await ensureDatabaseExists(database.url)) process.stdout.write('created database\n');
  const applied = await runMigrations(database.url);
  process.stdout.write(applied.length ? `applied migrations: ${applied.join(', ')}\n` : 'schema is up to date\n');
  process.stdout.write(`PostgreSQL: ${await describeServerSettings(database.url)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`migration failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
