import { applyDecorators } from '@nestjs/common';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
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
  ValidateBy,
} from 'class-validator';
import { isValidCIDR } from 'ipaddr.js';

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

const DURATION_LIST = /^\s*\d{1,10}\s*(?:,\s*\d{1,10}\s*)*$/;
const HOST_LIST = /^\s*[a-z0-9.-]+\s*(?:,\s*[a-z0-9.-]+\s*)*$/i;

/** A comma-separated list of CIDR blocks (`10.0.0.0/8, fd00::/8`). */
const IsCidrList = (): PropertyDecorator =>
  ValidateBy({
    name: 'isCidrList',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' &&
        value
          .split(',')
          .map((item) => item.trim())
          .every((item) => isValidCIDR(item)),
      defaultMessage: (args) => `${args?.property} must be comma-separated CIDR blocks such as 10.0.0.0/8`,
    },
  });

const Milliseconds = (min: number): PropertyDecorator =>
  applyDecorators(
    Type(() => Number),
    IsInt(),
    Min(min),
  );

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

  /** A streaming replica of DATABASE_URL that the read paths may use (docs/architecture.md "Reads on a replica"). */
  @IsOptional()
  @IsUrl({ protocols: ['postgres', 'postgresql'], require_tld: false, require_protocol: true })
  DATABASE_READ_URL?: string;

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

  /** Where the portal forwards the console's submissions (`/ingest/api/v1/reports...`); default ingest on loopback. */
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true })
  INGEST_URL?: string;

  /** Seconds a request's body may take to arrive in full; a slower one is answered 408 and its connection closed. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3600)
  HTTP_BODY_TIMEOUT_SECONDS?: number;

  /** Browser origins allowed to call the APIs cross-origin, comma-separated (e.g. https://vigia.example); none by default. */
  @IsOptional()
  @Matches(/^\s*https?:\/\/[^\s,]+(\s*,\s*https?:\/\/[^\s,]+)*\s*$/, {
    message: 'CORS_ORIGINS must be comma-separated origins such as https://vigia.example',
  })
  CORS_ORIGINS?: string;

  /** Serve the OpenAPI pages at /docs; default true outside production, false in production. */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  DOCS_ENABLED?: boolean;

  /**
   * Bearer token Prometheus must send to read /metrics (`Authorization: Bearer <token>`). Without it /metrics is open
   * outside production and closed (404) in production.
   */
  @IsOptional()
  @IsString()
  @MinLength(16)
  METRICS_TOKEN?: string;

  /**
   * Key (base64 of 32 bytes) wrapping the per-value data keys that encrypt secrets at rest (webhook signing secrets).
   * Required in production; a development default otherwise. Several keys, comma-separated, decrypt; the first encrypts
   * (rotation: put the new key first, run `npm run vigia -- data-key:rotate`, then drop the old one).
   */
  @IsOptional()
  @Matches(/^[A-Za-z0-9+/]{43}=(\s*,\s*[A-Za-z0-9+/]{43}=)*$/, {
    message: 'DATA_ENCRYPTION_KEY must be base64 of 32 random bytes (openssl rand -base64 32), comma-separated',
  })
  DATA_ENCRYPTION_KEY?: string;

  /** Submissions one organisation may make per minute. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  INGEST_RATE_LIMIT_PER_MINUTE?: number;

  /** Reads (report status, own-report list) one organisation may make per minute on ingest; 0: not limited. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  INGEST_READ_RATE_LIMIT_PER_MINUTE?: number;

  /**
   * How often each app's outbox relay looks for jobs that did not reach Redis (it was down, or lost its data); a
   * job waits at least this long before the relay takes it from its producer.
   */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(50)
  OUTBOX_RELAY_INTERVAL_MS?: number;

  /** Validate every STIX object the worker emits with libs/stix's validator (costs CPU). */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  STIX_VALIDATE?: boolean;

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

  /** Distinct organisations' false-positive feedback that stops an indicator's fan-out; 0: never. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1000)
  INDICATOR_FALSE_POSITIVE_THRESHOLD?: number;

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

  /**
   * The queues this worker process consumes (`reports,warnings,webhooks,mail,indicators`), comma-separated; all when
   * unset. Lets a deployment give a queue its own processes, e.g. the indicator search refresh beside normalisation.
   */
  @IsOptional()
  @Matches(/^\s*[a-z-]+\s*(?:,\s*[a-z-]+\s*)*$/, { message: 'WORKER_QUEUES must be comma-separated queue names' })
  WORKER_QUEUES?: string;

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

  /**
   * Where mail goes out: `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465`. Unset: every mail is
   * kept in the mail log (the coordinator reads it in the portal) instead of being sent.
   */
  @IsOptional()
  @IsUrl({ protocols: ['smtp', 'smtps'], require_tld: false, require_protocol: true })
  SMTP_URL?: string;

  /**
   * The From of every mail, e.g. `CSIRT Network <no-reply@network.example>`: checked here, since a From the SMTP server
   * refuses would fail every mail in the worker (and the Message-ID takes its domain).
   */
  @IsOptional()
  @IsEmail(
    { allow_display_name: true, require_tld: false },
    { message: 'MAIL_FROM must be an address, or a name and an address: CSIRT Network <no-reply@network.example>' },
  )
  MAIL_FROM?: string;

  /** The portal's address as people reach it: links in mails (verification, invitations, confirmations) start so. */
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true })
  PUBLIC_URL?: string;

  /**
   * Signs people's access tokens (HS256); every app that accepts them (portal, ingest) needs the same one. At least
   * 32 characters; required in production, a fixed development value otherwise.
   */
  @IsOptional()
  @IsString()
  @MinLength(32)
  AUTH_JWT_SECRET?: string;

  /**
   * Who must enrol a second factor (TOTP) before doing anything else once signed in: `privileged` (coordinators and
   * org-admins, the default) or `everyone`.
   */
  @IsOptional()
  @IsIn(['privileged', 'everyone'])
  AUTH_REQUIRE_SECOND_FACTOR?: 'privileged' | 'everyone';

  /** Lifetime of an access token, in seconds (default 900). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(30)
  AUTH_ACCESS_TOKEN_TTL_S?: number;

  /** Accept `http://` webhook URLs; default true in development only (production needs https). */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  WEBHOOK_ALLOW_HTTP?: boolean;

  /** Operator allow-list: host names trusted whatever they resolve to, comma-separated. */
  @IsOptional()
  @Matches(HOST_LIST, { message: 'WEBHOOK_ALLOWED_HOSTS must be comma-separated host names' })
  WEBHOOK_ALLOWED_HOSTS?: string;

  /** Operator allow-list: networks webhooks may reach even though private or loopback, comma-separated CIDRs. */
  @IsOptional()
  @IsCidrList()
  WEBHOOK_ALLOWED_CIDRS?: string;

  /** How long one delivery attempt may take, connection to response headers. */
  @IsOptional()
  @Milliseconds(100)
  WEBHOOK_TIMEOUT_MS?: number;

  /** Delays before each retry, comma-separated milliseconds; default Standard Webhooks' 5 s … 24 h schedule. */
  @IsOptional()
  @Matches(DURATION_LIST, { message: 'WEBHOOK_RETRY_SCHEDULE_MS must be comma-separated milliseconds' })
  WEBHOOK_RETRY_SCHEDULE_MS?: string;

  /** Longest `Retry-After` honoured. */
  @IsOptional()
  @Milliseconds(0)
  WEBHOOK_RETRY_AFTER_MAX_MS?: number;

  /** How long the previous secret keeps signing after a rotation. */
  @IsOptional()
  @Milliseconds(0)
  WEBHOOK_SECRET_GRACE_MS?: number;

  /** Approximate entries kept in each organisation's warning stream. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  STREAM_MAX_LENGTH?: number;

  /** How long warnings stay in the stream for clients to resume from. */
  @IsOptional()
  @Milliseconds(1000)
  STREAM_RETENTION_MS?: number;

  /** Comment line sent to idle SSE clients so proxies keep the connection open. */
  @IsOptional()
  @Milliseconds(50)
  STREAM_HEARTBEAT_MS?: number;

  /** Reconnection delay suggested to SSE clients (`retry:`). */
  @IsOptional()
  @Milliseconds(0)
  STREAM_CLIENT_RETRY_MS?: number;

  /** Working days (Monday to Friday) the network aims to decide an application in, from its verification. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(365)
  APPLICATION_REVIEW_TARGET_DAYS?: number;

  /** Endorsements (member organisations' or external) an application needs before it may be approved. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(20)
  APPLICATION_ENDORSEMENTS_REQUIRED?: number;

  /** Applications one address may submit per hour. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  APPLICATION_RATE_LIMIT_PER_HOUR?: number;

  /** Seconds an application form must have been open (since its form token) before it is accepted. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3600)
  APPLICATION_MIN_FILL_SECONDS?: number;

  /** Concurrent SSE connections one organisation may hold. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  STREAM_MAX_CONNECTIONS_PER_ORGANISATION?: number;
}
