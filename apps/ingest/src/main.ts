import 'reflect-metadata';
import { createHttpApp, listen } from '@vigia/common';
import { loadConfigOrExit } from '@vigia/config';
import { IngestModule } from './ingest.module';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const app = await createHttpApp(IngestModule.register(config), config, {
    name: 'ingest',
    docs: 'Incident-report ingestion: JSON, STIX 2.1 bundles, CSV and MISP events',
  });
  await listen(app, 'ingest', config.host, config.ports.ingest);
}

void main();
