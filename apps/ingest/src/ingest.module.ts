import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule, sharedThrottlerModule } from '@vigia/common';
import { AppConfig } from '@vigia/config';
import { DatabaseModule } from '@vigia/database';
import { QueueModule } from '@vigia/queue';
import { IngestThrottler } from './http/organisation-throttler.guard';
import { ReportsModule } from './reports/reports.module';

const MINUTE_MS = 60_000;

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
        sharedThrottlerModule(({ ingest }) => [
          { name: IngestThrottler.Submissions, ttl: MINUTE_MS, limit: ingest.rateLimitPerMinute },
          // 0 turns the read limit off: a route's SkipThrottle for an absent throttler is simply never consulted.
          ...(ingest.readRateLimitPerMinute > 0
            ? [{ name: IngestThrottler.Reads, ttl: MINUTE_MS, limit: ingest.readRateLimitPerMinute }]
            : []),
        ]),
        ReportsModule,
      ],
    };
  }
}
