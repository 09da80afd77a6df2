import { DynamicModule, Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { PlatformModule } from '@vigia/common';
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
        ThrottlerModule.forRoot([{ ttl: 60_000, limit: config.ingest.rateLimitPerMinute }]),
        ReportsModule,
      ],
    };
  }
}
