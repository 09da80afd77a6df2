import { ConfigurationError, loadConfig } from './load-config';

const SECRET = 'a-production-secret-of-32-chars!!';
const DATA_KEY = Buffer.alloc(32, 7).toString('base64');

describe('loadConfig', () => {
  it('requires AUTH_JWT_SECRET in production, and at least 32 characters', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/AUTH_JWT_SECRET is required in production/);
    expect(() => loadConfig({ AUTH_JWT_SECRET: 'short' })).toThrow(/AUTH_JWT_SECRET/);
    expect(
      loadConfig({ NODE_ENV: 'production', AUTH_JWT_SECRET: SECRET, DATA_ENCRYPTION_KEY: DATA_KEY }).auth.jwtSecret,
    ).toBe(SECRET);
  });

  it('requires DATA_ENCRYPTION_KEY in production; closes /docs and /metrics there by default', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', AUTH_JWT_SECRET: SECRET })).toThrow(
      /DATA_ENCRYPTION_KEY is required in production/,
    );
    expect(() => loadConfig({ DATA_ENCRYPTION_KEY: 'short' })).toThrow(/DATA_ENCRYPTION_KEY must be base64/);
    const production = loadConfig({ NODE_ENV: 'production', AUTH_JWT_SECRET: SECRET, DATA_ENCRYPTION_KEY: DATA_KEY });
    expect(production.dataEncryptionKeys).toEqual([Buffer.alloc(32, 7)]);
    expect(production.http).toEqual({
      bodyTimeoutMs: 60_000,
      corsOrigins: [],
      docsEnabled: false,
      metricsToken: undefined,
    });
    expect(loadConfig({}).http.docsEnabled).toBe(true);
    expect(loadConfig({}).dataEncryptionKeys[0]).toHaveLength(32);
    expect(
      loadConfig({ CORS_ORIGINS: 'https://a.example, http://localhost:5173', HTTP_BODY_TIMEOUT_SECONDS: '5' }).http,
    ).toMatchObject({ corsOrigins: ['https://a.example', 'http://localhost:5173'], bodyTimeoutMs: 5000 });
  });

  it('applies defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.database.url).toBe('postgres://postgres@127.0.0.1:5432/vigia');
    expect(config.redis).toEqual({ url: 'redis://127.0.0.1:6379', prefix: 'vigia' });
    expect(config.ports).toEqual({ portal: 3000, ingest: 3001, worker: 3002 });
    expect(config.stix.validate).toBe(false);
  });

  it('accepts MAIL_FROM as an address or a name and an address, and refuses anything an SMTP server would', () => {
    expect(loadConfig({}).mail.from).toBe('Vigia <no-reply@vigia.local>');
    expect(loadConfig({ MAIL_FROM: 'alerts@network.example' }).mail.from).toBe('alerts@network.example');
    expect(loadConfig({ MAIL_FROM: 'CSIRT Network <alerts@network.example>' }).mail.from).toBe(
      'CSIRT Network <alerts@network.example>',
    );
    for (const from of ['Vigia', 'Vigia <no-reply>', 'a@b.example\r\nBcc: c@d.example']) {
      expect(() => loadConfig({ MAIL_FROM: from })).toThrow(/MAIL_FROM/);
    }
  });

  it('converts numbers and booleans from strings', () => {
    const config = loadConfig({ PORTAL_PORT: '8080', STIX_VALIDATE: 'true', DATABASE_POOL_SIZE: '4' });
    expect(config.ports.portal).toBe(8080);
    expect(config.stix.validate).toBe(true);
    expect(config.database.poolSize).toBe(4);
  });

  it('reads worker settings: job overrides, warninglists and indicator lifetimes', () => {
    const defaults = loadConfig({});
    expect(defaults.jobs).toEqual({
      attempts: undefined,
      backoffMs: undefined,
      lockDurationMs: undefined,
      concurrency: undefined,
    });
    expect(defaults.warninglists).toEqual({ dirs: [], documentationRanges: false });
    expect(defaults.indicators.lifetimeDays).toEqual({
      ip: 30,
      domain: 90,
      url: 60,
      email: 180,
      asn: 365,
      hash: 0,
      cve: 0,
    });

    const config = loadConfig({
      JOB_ATTEMPTS: '2',
      JOB_BACKOFF_MS: '50',
      JOB_LOCK_DURATION_MS: '5000',
      WORKER_CONCURRENCY: '8',
      WARNINGLIST_DIRS: '/etc/vigia/lists, ./more',
      WARNINGLIST_DOCUMENTATION_RANGES: 'true',
      INDICATOR_LIFETIME_DAYS: 'ip=7,hash=365',
    });
    expect(config.jobs).toEqual({ attempts: 2, backoffMs: 50, lockDurationMs: 5000, concurrency: 8 });
    expect(config.warninglists).toEqual({ dirs: ['/etc/vigia/lists', './more'], documentationRanges: true });
    expect(config.indicators.lifetimeDays).toMatchObject({ ip: 7, domain: 90, hash: 365 });
  });

  it('refuses an indicator lifetime of an unknown kind', () => {
    expect(() => loadConfig({ INDICATOR_LIFETIME_DAYS: 'ipv4=7' })).toThrow(/INDICATOR_LIFETIME_DAYS="ipv4=7"/);
    expect(() => loadConfig({ INDICATOR_LIFETIME_DAYS: 'ip=-1' })).toThrow(/INDICATOR_LIFETIME_DAYS/);
  });

  it('reads an optional read replica (DATABASE_READ_URL), none by default', () => {
    expect(loadConfig({}).database.readUrl).toBeUndefined();
    expect(loadConfig({ DATABASE_READ_URL: 'postgres://reader@replica.example:5432/vigia' }).database.readUrl).toBe(
      'postgres://reader@replica.example:5432/vigia',
    );
    expect(() => loadConfig({ DATABASE_READ_URL: 'mysql://replica/vigia' })).toThrow(
      /^Invalid configuration: DATABASE_READ_URL=/,
    );
  });

  it('names the bad setting in one line', () => {
    expect(() => loadConfig({ DATABASE_URL: 'not-a-url' })).toThrow(ConfigurationError);
    expect(() => loadConfig({ DATABASE_URL: 'not-a-url' })).toThrow(/^Invalid configuration: DATABASE_URL="not-a-url"/);
  });

  it('reports every bad setting, not just the first', () => {
    try {
      loadConfig({ REDIS_URL: 'http://x', INGEST_PORT: '70000', NODE_ENV: 'staging' });
      fail('expected a ConfigurationError');
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('REDIS_URL');
      expect(message).toContain('INGEST_PORT');
      expect(message).toContain('NODE_ENV');
      expect(message.split('\n')).toHaveLength(1);
    }
  });

  it('reads webhook and stream settings, http allowed by default only in development', () => {
    const development = loadConfig({});
    expect(development.webhooks).toMatchObject({
      allowHttp: true,
      allowedHosts: [],
      allowedCidrs: [],
      timeoutMs: 10_000,
    });
    expect(development.webhooks.retryScheduleMs).toEqual([
      5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 86_400_000,
    ]);
    expect(
      loadConfig({ NODE_ENV: 'production', AUTH_JWT_SECRET: SECRET, DATA_ENCRYPTION_KEY: DATA_KEY }).webhooks.allowHttp,
    ).toBe(false);
    expect(loadConfig({ NODE_ENV: 'test' }).webhooks.allowHttp).toBe(false);
    expect(development.warningStream).toEqual({
      maxLength: 10_000,
      retentionMs: 86_400_000,
      heartbeatMs: 15_000,
      clientRetryMs: 3_000,
      maxConnectionsPerOrganisation: 5,
    });

    const config = loadConfig({
      NODE_ENV: 'production',
      AUTH_JWT_SECRET: SECRET,
      DATA_ENCRYPTION_KEY: DATA_KEY,
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOWED_HOSTS: 'Hooks.Example.org, receiver.internal',
      WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32, fd00::/8',
      WEBHOOK_RETRY_SCHEDULE_MS: '100, 200,300',
      STREAM_HEARTBEAT_MS: '200',
    });
    expect(config.webhooks).toMatchObject({
      allowHttp: true,
      allowedHosts: ['hooks.example.org', 'receiver.internal'],
      allowedCidrs: ['127.0.0.1/32', 'fd00::/8'],
      retryScheduleMs: [100, 200, 300],
    });
    expect(config.warningStream.heartbeatMs).toBe(200);
  });

  it('reads the admission settings: review target, endorsements, rate limit, form delay', () => {
    expect(loadConfig({}).applications).toEqual({
      reviewTargetWorkingDays: 20,
      endorsementsRequired: 2,
      rateLimitPerHour: 10,
      minFillSeconds: 5,
    });
    const config = loadConfig({
      APPLICATION_REVIEW_TARGET_DAYS: '30',
      APPLICATION_ENDORSEMENTS_REQUIRED: '0',
      APPLICATION_RATE_LIMIT_PER_HOUR: '3',
      APPLICATION_MIN_FILL_SECONDS: '0',
    });
    expect(config.applications).toEqual({
      reviewTargetWorkingDays: 30,
      endorsementsRequired: 0,
      rateLimitPerHour: 3,
      minFillSeconds: 0,
    });
    expect(() => loadConfig({ APPLICATION_REVIEW_TARGET_DAYS: '0' })).toThrow(/APPLICATION_REVIEW_TARGET_DAYS/);
    expect(() => loadConfig({ APPLICATION_RATE_LIMIT_PER_HOUR: 'many' })).toThrow(/APPLICATION_RATE_LIMIT_PER_HOUR/);
  });

  it('refuses malformed webhook allow-lists and schedules', () => {
    expect(() => loadConfig({ WEBHOOK_ALLOWED_CIDRS: '10.0.0.0/8,nope' })).toThrow(/WEBHOOK_ALLOWED_CIDRS/);
    expect(() => loadConfig({ WEBHOOK_RETRY_SCHEDULE_MS: '5s,10s' })).toThrow(/WEBHOOK_RETRY_SCHEDULE_MS/);
    expect(() => loadConfig({ WEBHOOK_ALLOWED_HOSTS: 'http://x' })).toThrow(/WEBHOOK_ALLOWED_HOSTS/);
  });
});
