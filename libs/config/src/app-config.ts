import { Environment, IndicatorLifetimeKind, LogLevel } from './env.dto';

/** The typed, grouped configuration every app and library reads instead of `process.env`. */
export interface AppConfig {
  environment: Environment;
  logLevel: LogLevel;
  host: string;
  ports: { portal: number; ingest: number; worker: number };
  /**
   * PostgreSQL: the primary (`DATABASE_URL`), the pool size of each pool, and an optional streaming replica the read
   * paths may use (`DATABASE_READ_URL`; undefined: every read on the primary).
   */
  database: { url: string; poolSize: number; readUrl?: string };
  redis: { url: string; prefix: string };
  ingest: {
    jsonLimitBytes: number;
    csvLimitBytes: number;
    maxIndicators: number;
    /** Submissions per organisation per minute (`INGEST_RATE_LIMIT_PER_MINUTE`), every format counted together. */
    rateLimitPerMinute: number;
    /** Reads per organisation per minute (`INGEST_READ_RATE_LIMIT_PER_MINUTE`); 0: reads are not limited. */
    readRateLimitPerMinute: number;
    /** Ingest's base URL as the portal reaches it (`INGEST_URL`), for the console's forwarded submissions. */
    url: string;
  };
  /** Every HTTP app: body-read deadline, CORS origins, who may read /docs and /metrics. */
  http: { bodyTimeoutMs: number; corsOrigins: string[]; docsEnabled: boolean; metricsToken?: string };
  /** Keys wrapping the data keys of secrets stored encrypted (`DATA_ENCRYPTION_KEY`); the first one encrypts. */
  dataEncryptionKeys: Buffer[];
  /** The outbox relay's period (`OUTBOX_RELAY_INTERVAL_MS`). */
  outbox: { relayIntervalMs: number };
  stix: { validate: boolean };
  /** Overrides of the job defaults in libs/queue (jobs.ts); undefined keeps the default. */
  jobs: {
    attempts?: number;
    backoffMs?: number;
    lockDurationMs?: number;
    concurrency?: number;
    /** The queues a worker process consumes (`WORKER_QUEUES`); undefined: all. */
    queues?: string[];
  };
  warninglists: { dirs: string[]; documentationRanges: boolean };
  /** Days an indicator stays valid after it was last reported; 0 means it never expires. */
  indicators: {
    lifetimeDays: Record<IndicatorLifetimeKind, number>;
    /**
     * Distinct organisations whose false-positive feedback suppresses an indicator's fan-out
     * (`INDICATOR_FALSE_POSITIVE_THRESHOLD`); 0 never suppresses.
     */
    falsePositiveThreshold: number;
  };
  coordinator: { email: string; password?: string };
  /** Outgoing mail (`SMTP_URL`, `MAIL_FROM`) and the address links in mails start with (`PUBLIC_URL`). */
  mail: { smtpUrl?: string; from: string; publicUrl: string };
  webhooks: WebhookConfig;
  /** People's access tokens (`AUTH_JWT_SECRET`, `AUTH_ACCESS_TOKEN_TTL_S`). */
  auth: { jwtSecret: string; accessTokenTtlSeconds: number; requireSecondFactor: 'privileged' | 'everyone' };
  warningStream: WarningStreamConfig;
  applications: ApplicationsConfig;
}

/** Admission of new CSIRTs (apps/portal applications): review target, sponsorship, spam resistance. */
export interface ApplicationsConfig {
  /** Working days (Mon–Fri) from verification to decision the coordinator aims for. */
  reviewTargetWorkingDays: number;
  /** Endorsements needed before approval. */
  endorsementsRequired: number;
  /** Submissions per address per hour. */
  rateLimitPerHour: number;
  /** A form token younger than this is refused (scripts submit at once; people take longer). */
  minFillSeconds: number;
}

/** Outbound webhooks: where they may go (SSRF policy), how long an attempt may take, when to retry. */
export interface WebhookConfig {
  /** Plain `http://` targets are accepted (development); otherwise `https://` only. */
  allowHttp: boolean;
  /** Host names (lower case) trusted whatever addresses they resolve to. */
  allowedHosts: string[];
  /** Networks (CIDR) a target may resolve into even though they are private, loopback... */
  allowedCidrs: string[];
  timeoutMs: number;
  /** Delay before each retry; its length is the number of retries. */
  retryScheduleMs: number[];
  /** A receiver's `Retry-After` is honoured up to this long. */
  retryAfterMaxMs: number;
  /** How long a rotated-out secret keeps signing alongside the new one. */
  secretGraceMs: number;
}

/** The per-organisation Redis stream of early warnings and the SSE endpoint reading it. */
export interface WarningStreamConfig {
  /** Approximate number of entries kept per organisation. */
  maxLength: number;
  /** Entries older than this are trimmed; a client resuming from before it is told it missed some. */
  retentionMs: number;
  heartbeatMs: number;
  /** The `retry:` reconnection delay suggested to SSE clients. */
  clientRetryMs: number;
  maxConnectionsPerOrganisation: number;
}

/** Injection token for `AppConfig`. */
export const APP_CONFIG = Symbol('APP_CONFIG');
