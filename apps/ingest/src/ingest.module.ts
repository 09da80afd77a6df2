import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@vigia/common';
import { AppConfig } from '@vigia/config';
import { QueueModule } from '@vigia/queue';

/** Incident-report ingestion: validate, store raw, enqueue, answer 202. */
@Module({})
export class IngestModule {
  static register(config: AppConfig): DynamicModule {
    return { module: IngestModule, imports: [PlatformModule.forApp('ingest', config), QueueModule] };
  }
}
