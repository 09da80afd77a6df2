import { Environment, IndicatorLifetimeKind, LogLevel } from './env.dto';

/** The typed, grouped configuration every app and library reads instead of `process.env`. */
export interface AppConfig {
  environment: Environment;
  logLevel: LogLevel;
  host: string;
  ports: { portal: number; ingest: number; worker: number };
  database: { url: string; poolSize: number };
  redis: { url: string; prefix: string };
  ingest: {
    jsonLimitBytes: number;
    csvLimitBytes: number;
    maxIndicators: number;
    rateLimitPerMinute: number;
    reenqueueIntervalMs: number;
  };
  stix: { validate: boolean; schemaDir?: string };
  /** Overrides of the job defaults in libs/queue (jobs.ts); undefined keeps the default. */
  jobs: { attempts?: number; backoffMs?: number; lockDurationMs?: number; concurrency?: number };
  warninglists: { dirs: string[]; documentationRanges: boolean };
  /** Days an indicator stays valid after it was last reported; 0 means it never expires. */
  indicators: { lifetimeDays: Record<IndicatorLifetimeKind, number> };
  coordinator: { email: string; password?: string };
}

/** Injection token for `AppConfig`. */
export const APP_CONFIG = Symbol('APP_CONFIG');
