import 'reflect-metadata';
import { createHttpApp, listen } from '@vigia/common';
import { loadConfigOrExit } from '@vigia/config';
import { ingestAppOptions } from './ingest-app.options';
import { IngestModule } from './ingest.module';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const app = await createHttpApp(IngestModule.register(config), config, ingestAppOptions(config));
  await listen(app, 'ingest', config.host, config.ports.ingest);
}

void main();
