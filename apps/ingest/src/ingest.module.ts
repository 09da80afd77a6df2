import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule, sharedThrottlerModule } from '@vigia/common';
import { AppConfig } from '@vigia/config';
import { DatabaseModule } from '@vigia/database';
import { QueueModule } from '@vigia/queue';
import { ReportsModule } from './reports/reports.module';

/** Incident-report ingestion: validate, store raw, enqueue, answer 202. */
@Module({})
export class IngestModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: IngestModule,
      imports: [
        PlatformModule.forApp('ingest', config),
        DatabaseModule,
        QueueModule,
        sharedThrottlerModule(({ ingest }) => [{ ttl: 60_000, limit: ingest.rateLimitPerMinute }]),
        ReportsModule,
      ],
    };
  }
}
