import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';
import { AppConfig } from './app-config';
import { EnvDto, Environment, IndicatorLifetimeKind } from './env.dto';

const MIB = 1024 * 1024;
const HOUR_MS = 3600 * 1000;

/** Standard Webhooks' recommended retry schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 24 h (then dead). */
export const DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS: readonly number[] = [
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * HOUR_MS,
  5 * HOUR_MS,
  10 * HOUR_MS,
  24 * HOUR_MS,
];

const splitList = (setting: string | undefined): string[] =>
  (setting ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

/**
 * How long an indicator stays valid after it was last reported. Addresses are reassigned within weeks, domains and
 * URLs live longer, mailboxes and autonomous systems longer still; a file hash or a CVE never stops meaning the same
 * thing, so they never expire (0).
 */
export const DEFAULT_INDICATOR_LIFETIME_DAYS: Readonly<Record<IndicatorLifetimeKind, number>> = {
  ip: 30,
  domain: 90,
  url: 60,
  email: 180,
  asn: 365,
  hash: 0,
  cve: 0,
};

const parseLifetimes = (setting: string | undefined): Record<IndicatorLifetimeKind, number> => {
  const lifetimes = { ...DEFAULT_INDICATOR_LIFETIME_DAYS };
  for (const item of setting ? setting.split(',') : []) {
    const [kind, days] = item.split('=');
    lifetimes[kind as IndicatorLifetimeKind] = Number(days);
  }
  return lifetimes;
};

export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

const describe = (errors: ValidationError[]): string[] =>
  errors.flatMap((error) => {
    const shown = typeof error.value === 'string' ? `"${error.value}"` : String(error.value);
    return Object.values(error.constraints ?? {}).map((reason) => `${error.property}=${shown}: ${reason}`);
  });

/** Signs access tokens outside production when no secret is configured: known to everyone, so never for real use. */
const DEVELOPMENT_JWT_SECRET = 'vigia-development-only-access-token-secret';

/** Encrypts secrets at rest outside production when no key is configured: known to everyone, so never for real use. */
const DEVELOPMENT_DATA_KEY = Buffer.from('vigia-development-only-data-key!').toString('base64');

/** Parses and validates the environment; throws a `ConfigurationError` naming every bad setting. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const defined = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const dto = plainToInstance(EnvDto, defined, { enableImplicitConversion: false });
  const errors = validateSync(dto, { whitelist: false, forbidUnknownValues: true });
  const problems = describe(errors);
  if (dto.NODE_ENV === Environment.Production && !dto.AUTH_JWT_SECRET) {
    problems.push('AUTH_JWT_SECRET is required in production (a random value of at least 32 characters)');
  }
  if (dto.NODE_ENV === Environment.Production && !dto.DATA_ENCRYPTION_KEY) {
    problems.push('DATA_ENCRYPTION_KEY is required in production (openssl rand -base64 32)');
  }
  if (problems.length > 0) {
    throw new ConfigurationError(`Invalid configuration: ${problems.join('; ')}`);
  }
  return {
    environment: dto.NODE_ENV ?? Environment.Development,
    logLevel: dto.LOG_LEVEL ?? 'info',
    host: dto.HOST ?? '0.0.0.0',
    ports: { portal: dto.PORTAL_PORT ?? 3000, ingest: dto.INGEST_PORT ?? 3001, worker: dto.WORKER_PORT ?? 3002 },
    database: {
      url: dto.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/vigia',
      poolSize: dto.DATABASE_POOL_SIZE ?? 10,
      readUrl: dto.DATABASE_READ_URL || undefined,
    },
    redis: { url: dto.REDIS_URL ?? 'redis://127.0.0.1:6379', prefix: dto.REDIS_PREFIX ?? 'vigia' },
    ingest: {
      jsonLimitBytes: (dto.INGEST_JSON_LIMIT_MB ?? 10) * MIB,
      csvLimitBytes: (dto.INGEST_CSV_LIMIT_MB ?? 200) * MIB,
      maxIndicators: dto.INGEST_MAX_INDICATORS ?? 100_000,
      rateLimitPerMinute: dto.INGEST_RATE_LIMIT_PER_MINUTE ?? 6000,
      readRateLimitPerMinute: dto.INGEST_READ_RATE_LIMIT_PER_MINUTE ?? 30_000,
      url: (dto.INGEST_URL ?? `http://127.0.0.1:${dto.INGEST_PORT ?? 3001}`).replace(/\/+$/, ''),
    },
    http: {
      bodyTimeoutMs: (dto.HTTP_BODY_TIMEOUT_SECONDS ?? 60) * 1000,
      corsOrigins: splitList(dto.CORS_ORIGINS),
      docsEnabled: dto.DOCS_ENABLED ?? (dto.NODE_ENV ?? Environment.Development) !== Environment.Production,
      metricsToken: dto.METRICS_TOKEN,
    },
    dataEncryptionKeys: splitList(dto.DATA_ENCRYPTION_KEY ?? DEVELOPMENT_DATA_KEY).map((key) =>
      Buffer.from(key, 'base64'),
    ),
    outbox: { relayIntervalMs: dto.OUTBOX_RELAY_INTERVAL_MS ?? 1000 },
    stix: { validate: dto.STIX_VALIDATE ?? false },
    jobs: {
      attempts: dto.JOB_ATTEMPTS,
      backoffMs: dto.JOB_BACKOFF_MS,
      lockDurationMs: dto.JOB_LOCK_DURATION_MS,
      concurrency: dto.WORKER_CONCURRENCY,
      queues: dto.WORKER_QUEUES === undefined ? undefined : splitList(dto.WORKER_QUEUES),
    },
    warninglists: {
      dirs: splitList(dto.WARNINGLIST_DIRS),
      documentationRanges: dto.WARNINGLIST_DOCUMENTATION_RANGES ?? false,
    },
    indicators: {
      lifetimeDays: parseLifetimes(dto.INDICATOR_LIFETIME_DAYS),
      falsePositiveThreshold: dto.INDICATOR_FALSE_POSITIVE_THRESHOLD ?? 2,
    },
    coordinator: { email: dto.COORDINATOR_EMAIL ?? 'coordinator@vigia.local', password: dto.COORDINATOR_PASSWORD },
    mail: {
      smtpUrl: dto.SMTP_URL,
      from: dto.MAIL_FROM ?? 'Vigia <no-reply@vigia.local>',
      publicUrl: (dto.PUBLIC_URL ?? `http://localhost:${dto.PORTAL_PORT ?? 3000}`).replace(/\/+$/, ''),
    },
    webhooks: {
      allowHttp: dto.WEBHOOK_ALLOW_HTTP ?? (dto.NODE_ENV ?? Environment.Development) === Environment.Development,
      allowedHosts: splitList(dto.WEBHOOK_ALLOWED_HOSTS).map((host) => host.toLowerCase()),
      allowedCidrs: splitList(dto.WEBHOOK_ALLOWED_CIDRS),
      timeoutMs: dto.WEBHOOK_TIMEOUT_MS ?? 10_000,
      retryScheduleMs: dto.WEBHOOK_RETRY_SCHEDULE_MS
        ? splitList(dto.WEBHOOK_RETRY_SCHEDULE_MS).map(Number)
        : [...DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS],
      retryAfterMaxMs: dto.WEBHOOK_RETRY_AFTER_MAX_MS ?? 24 * HOUR_MS,
      secretGraceMs: dto.WEBHOOK_SECRET_GRACE_MS ?? 24 * HOUR_MS,
    },
    auth: {
      jwtSecret: dto.AUTH_JWT_SECRET ?? DEVELOPMENT_JWT_SECRET,
      accessTokenTtlSeconds: dto.AUTH_ACCESS_TOKEN_TTL_S ?? 900,
      requireSecondFactor: dto.AUTH_REQUIRE_SECOND_FACTOR ?? 'privileged',
    },
    warningStream: {
      maxLength: dto.STREAM_MAX_LENGTH ?? 10_000,
      retentionMs: dto.STREAM_RETENTION_MS ?? 24 * HOUR_MS,
      heartbeatMs: dto.STREAM_HEARTBEAT_MS ?? 15_000,
      clientRetryMs: dto.STREAM_CLIENT_RETRY_MS ?? 3_000,
      maxConnectionsPerOrganisation: dto.STREAM_MAX_CONNECTIONS_PER_ORGANISATION ?? 5,
    },
    applications: {
      reviewTargetWorkingDays: dto.APPLICATION_REVIEW_TARGET_DAYS ?? 20,
      endorsementsRequired: dto.APPLICATION_ENDORSEMENTS_REQUIRED ?? 2,
      rateLimitPerHour: dto.APPLICATION_RATE_LIMIT_PER_HOUR ?? 10,
      minFillSeconds: dto.APPLICATION_MIN_FILL_SECONDS ?? 5,
    },
  };
}

/** For `main.ts`: a bad setting ends the process with one clear line instead of a stack trace. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): AppConfig {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigurationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
