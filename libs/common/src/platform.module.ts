import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AppConfig, ConfigModule } from '@vigia/config';
import { AllExceptionsFilter } from './errors/all-exceptions.filter';
import { HealthModule } from './health/health.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { RedisModule } from './redis/redis.module';

/**
 * What every Vigia app stands on: validated config, JSON logs, Redis, `/health`, `/metrics` and the error mapping.
 * Each app's root module imports this once, then `DatabaseModule` (PostgreSQL and the repositories, which `/health`
 * checks) and its own features.
 */
@Module({})
export class PlatformModule {
  static forApp(app: string, config: AppConfig): DynamicModule {
    return {
      module: PlatformModule,
      global: true,
      imports: [ConfigModule.forRoot(config), LoggingModule.forApp(app), RedisModule, HealthModule, MetricsModule],
      providers: [{ provide: APP_FILTER, useClass: AllExceptionsFilter }],
      exports: [ConfigModule, RedisModule],
    };
  }
}
