import { NestExpressApplication } from '@nestjs/platform-express';
import { AppConfig } from '@vigia/config';
import { IngestModule } from '../../apps/ingest/src/ingest.module';
import { ingestAppOptions } from '../../apps/ingest/src/ingest-app.options';
import { bootTestApp } from './test-app';

export const bootIngestApp = (config: AppConfig): Promise<NestExpressApplication> =>
  bootTestApp(IngestModule.register(config), config, ingestAppOptions(config));
