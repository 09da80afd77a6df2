import { applyDecorators } from '@nestjs/common';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsEnum,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
} from 'class-validator';

export enum Environment {
  Development = 'development',
  Production = 'production',
  Test = 'test',
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The kinds of indicator that share a lifetime (`INDICATOR_LIFETIME_DAYS`): ipv4 and ipv6 are `ip`, md5…sha512 `hash`. */
export const INDICATOR_LIFETIME_KINDS = ['ip', 'domain', 'url', 'email', 'asn', 'hash', 'cve'] as const;
export type IndicatorLifetimeKind = (typeof INDICATOR_LIFETIME_KINDS)[number];

const LIFETIME_ITEM = `(?:${INDICATOR_LIFETIME_KINDS.join('|')})=\\d{1,5}`;
const LIFETIME_SETTING = new RegExp(`^${LIFETIME_ITEM}(?:,${LIFETIME_ITEM})*$`);

const toBoolean = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? ['true', '1', 'yes', 'on'].includes(value.trim().toLowerCase()) : value;

const Port = (): PropertyDecorator =>
  applyDecorators(
    Type(() => Number),
    IsInt(),
    Min(1),
    Max(65535),
  );

/**
 * Every environment variable Vigia reads, validated at boot. A bad value stops the app with one line
 * naming the setting (see `loadConfig`). Defaults suit a developer machine.
 */
export class EnvDto {
  @IsOptional()
  @IsEnum(Environment)
  NODE_ENV?: Environment;

  @IsOptional()
  @IsIn(LOG_LEVELS)
  LOG_LEVEL?: LogLevel;

  @IsOptional()
  @IsUrl({ protocols: ['postgres', 'postgresql'], require_tld: false, require_protocol: true })
  DATABASE_URL?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE?: number;

  @IsOptional()
  @IsUrl({ protocols: ['redis', 'rediss'], require_tld: false, require_protocol: true })
  REDIS_URL?: string;

  /** Namespaces every Redis key (BullMQ queues included), so test runs never touch a running platform. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.:-]{1,64}$/, { message: 'REDIS_PREFIX must be 1-64 letters, digits or _ . : -' })
  REDIS_PREFIX?: string;

  @IsOptional()
  @IsString()
  HOST?: string;

  @IsOptional()
  @Port()
  PORTAL_PORT?: number;

  @IsOptional()
  @Port()
  INGEST_PORT?: number;

  @IsOptional()
  @Port()
  WORKER_PORT?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1024)
  INGEST_JSON_LIMIT_MB?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10240)
  INGEST_CSV_LIMIT_MB?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  INGEST_MAX_INDICATORS?: number;

  /** Submissions one organisation may make per minute. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  INGEST_RATE_LIMIT_PER_MINUTE?: number;

  /** How often ingest looks for accepted reports that never reached the queue (Redis was down). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(100)
  INGEST_REENQUEUE_INTERVAL_MS?: number;

  /** Validate every STIX object the worker emits against the OASIS JSON schemas (costs CPU). */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  STIX_VALIDATE?: boolean;

  @IsOptional()
  @IsString()
  STIX_SCHEMA_DIR?: string;

  /** Directories of extra warninglist files (JSON), comma-separated, loaded on top of the built-in lists. */
  @IsOptional()
  @IsString()
  WARNINGLIST_DIRS?: string;

  /** Also suppress the documentation ranges (RFC 5737, RFC 3849); off by default because examples use them. */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  WARNINGLIST_DOCUMENTATION_RANGES?: boolean;

  /** Indicator lifetimes in days by kind, e.g. `ip=30,domain=90`; 0 means it never expires. */
  @IsOptional()
  @Matches(LIFETIME_SETTING, {
    message: `INDICATOR_LIFETIME_DAYS must be kind=days pairs, comma-separated; kinds: ${INDICATOR_LIFETIME_KINDS.join(', ')}`,
  })
  INDICATOR_LIFETIME_DAYS?: string;

  /** Attempts per job; the default lives with the other job options in libs/queue (jobs.ts). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  JOB_ATTEMPTS?: number;

  /** First retry delay of the exponential backoff, in milliseconds. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  JOB_BACKOFF_MS?: number;

  /** Jobs a worker process runs at once per queue; the default per queue is in apps/worker (CONSUMED_QUEUES). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(64)
  WORKER_CONCURRENCY?: number;

  /** How long a worker holds a job; a job whose worker died is picked up again after about this long. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  JOB_LOCK_DURATION_MS?: number;

  @IsOptional()
  @IsString()
  @MinLength(3)
  COORDINATOR_EMAIL?: string;

  @IsOptional()
  @IsString()
  @MinLength(12)
  COORDINATOR_PASSWORD?: string;
}
