import { ChildProcess, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { hashPassword } from '@vigia/auth';
import { AppConfig, loadConfig } from '@vigia/config';
import {
  SecondFactorRepository,
  SecretSealer,
  SubscriptionRepository,
  UserRepository,
  UserRole,
} from '@vigia/database';
import { AppName, healthy, spawnApp } from '../../scripts/lib/app-process';
import { freePort } from '../../scripts/lib/free-port';
import { createOrganisationWithApiKey } from '../../scripts/lib/organisation.factory';
import { waitFor } from '../../scripts/lib/wait-for';
import { TestContext, createTestContext } from '../support/test-context';
import { WebhookReceiver } from '../support/webhook-receiver';
import { killAll } from '../support/worker-process';

const DATA_KEY = randomBytes(32).toString('base64');

/** The parts of a `whsec_` secret that would betray it: the whole, and its key material alone. */
const formsOf = (secret: string): string[] => [secret, secret.replace(/^whsec_/, '')];

describe('secrets stay out of logs and out of the database in clear', () => {
  let context: TestContext;
  let receiver: WebhookReceiver;
  const children: ChildProcess[] = [];
  const logs: Record<AppName, string[]> = { portal: [], ingest: [], worker: [] };
  const ports: Record<AppName, number> = { portal: 0, ingest: 0, worker: 0 };

  beforeAll(async () => {
    context = await createTestContext();
    receiver = await WebhookReceiver.start();
    for (const app of ['portal', 'ingest', 'worker'] as AppName[]) ports[app] = await freePort();
    for (const app of ['portal', 'ingest', 'worker'] as AppName[]) {
      const child = spawnApp(
        app,
        {
          NODE_ENV: 'test',
          LOG_LEVEL: 'debug',
          DATABASE_URL: context.config.database.url,
          REDIS_PREFIX: context.config.redis.prefix,
          PORTAL_PORT: String(ports.portal),
          INGEST_PORT: String(ports.ingest),
          WORKER_PORT: String(ports.worker),
          DATA_ENCRYPTION_KEY: DATA_KEY,
          WEBHOOK_ALLOW_HTTP: 'true',
          WEBHOOK_ALLOWED_CIDRS: '127.0.0.0/8',
        },
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      child.stdout?.on('data', (chunk: Buffer) => logs[app].push(chunk.toString('utf8')));
      child.stderr?.on('data', (chunk: Buffer) => logs[app].push(chunk.toString('utf8')));
      children.push(child);
    }
    await Promise.all(
      (['portal', 'ingest', 'worker'] as AppName[]).map((app, i) => healthy(ports[app], children[i]!, app)),
    );
  }, 120_000);

  afterAll(async () => {
    await killAll(children);
    await receiver?.close();
    await context?.cleanup();
  });

  const call = async (app: AppName, path: string, init: RequestInit = {}) => {
    const response = await fetch(`http://127.0.0.1:${ports[app]}${path}`, init);
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
  const json = (method: string, body: unknown, headers: Record<string, string>): RequestInit => ({
    method,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

  it('an e2e journey logs none of the key, password, tokens or webhook secrets it used; a dump holds no secret', async () => {
    const { organisation, apiKey } = await createOrganisationWithApiKey(context.dataSource);
    const password = `Correct-horse-${randomBytes(6).toString('hex')}`;
    const email = `analyst-${randomBytes(3).toString('hex')}@cert.example`;
    await new UserRepository(context.dataSource).create({
      organisationId: organisation.id,
      email,
      displayName: 'Analyst',
      passwordHash: await hashPassword(password),
      role: UserRole.Analyst,
    });
    const bodyMarker = `body-marker-${randomBytes(6).toString('hex')}`;

    const login = await call('portal', '/api/v1/auth/login', json('POST', { email, password }, {}));
    expect(login.status).toBe(200);
    const accessToken = login.body.access_token as string;
    const refreshToken = login.body.refresh_token as string;
    const bearer = { Authorization: `Bearer ${accessToken}` };
    // A wrong password is logged as a failure, never with what was typed.
    expect(
      (await call('portal', '/api/v1/auth/login', json('POST', { email, password: `${password}x` }, {}))).status,
    ).toBe(401);

    const subscribed = await call(
      'portal',
      '/api/v1/subscriptions',
      json('POST', { name: 'Hook', channels: [{ type: 'webhook', url: receiver.url('/hook') }] }, bearer),
    );
    expect(subscribed.status).toBe(201);
    const channel = (subscribed.body.channels as { id: string; secret: string }[])[0]!;
    const rotated = await call(
      'portal',
      `/api/v1/subscriptions/${subscribed.body.id as string}/webhooks/${channel.id}/rotate-secret`,
      json('POST', {}, bearer),
    );
    expect(rotated.status).toBe(200);
    const secrets = [channel.secret, rotated.body.secret as string];
    expect(secrets.every((secret) => secret?.startsWith('whsec_'))).toBe(true);

    const report = await call(
      'ingest',
      '/api/v1/reports',
      json(
        'POST',
        {
          title: 'Campaign',
          description: bodyMarker,
          classification: 'fraud',
          type: 'phishing',
          severity: 'high',
          tlp: 'green',
          indicators: [{ type: 'domain', value: 'login-bad.example', note: bodyMarker }],
        },
        { 'X-Api-Key': apiKey },
      ),
    );
    expect(report.status).toBe(202);
    // A key sent in the query string (never how it should be sent) must not reach a log line either.
    await call('ingest', `/api/v1/reports/${report.body.id as string}?api_key=${apiKey}&q=${bodyMarker}`, {
      headers: { 'X-Api-Key': apiKey },
    });
    await waitFor(
      'the report to be normalised',
      async () => {
        const status = await call('ingest', `/api/v1/reports/${report.body.id as string}`, {
          headers: { 'X-Api-Key': apiKey },
        });
        return status.body.status === 'normalised' ? true : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    const refreshed = await call('portal', '/api/v1/auth/refresh', json('POST', { refresh_token: refreshToken }, {}));
    expect(refreshed.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 500));

    const captured = Object.entries(logs).map(([app, lines]) => ({ app, text: lines.join('') }));
    expect(captured.every(({ text }) => text.length > 0)).toBe(true);
    const used = [apiKey, password, accessToken, refreshToken, refreshed.body.access_token as string, bodyMarker];
    const leaks = captured.flatMap(({ app, text }) =>
      [...used, ...secrets.flatMap(formsOf)]
        .filter((secret) => text.includes(secret))
        .map((secret) => `${app}: ${secret.slice(0, 12)}…`),
    );
    expect(leaks).toEqual([]);

    const dump = execFileSync('pg_dump', ['--data-only', context.config.database.url], {
      maxBuffer: 256 * 2 ** 20,
    }).toString();
    expect(dump).toContain(channel.id);
    expect(secrets.flatMap(formsOf).filter((form) => dump.includes(form))).toEqual([]);
  }, 120_000);

  it('rotating DATA_ENCRYPTION_KEY re-wraps every stored secret; the old key can then go', async () => {
    const oldConfig = context.config;
    const newKey = randomBytes(32).toString('base64');
    const configWith = (keys: string): AppConfig =>
      loadConfig({ ...process.env, NODE_ENV: 'test', DATA_ENCRYPTION_KEY: keys });
    const rotating = new SubscriptionRepository(
      context.dataSource,
      new SecretSealer(configWith(`${newKey},${DATA_KEY}`)),
    );
    expect(await rotating.rewrapWebhookSecrets()).toBeGreaterThan(0);
    expect(await rotating.rewrapWebhookSecrets()).toBe(0);
    const [row] = (await context.dataSource.query(`SELECT secret, previous_secret FROM webhook_endpoints`)) as {
      secret: string;
      previous_secret: string;
    }[];
    const newOnly = new SecretSealer(configWith(newKey));
    expect(newOnly.open(row!.secret)).toMatch(/^whsec_/);
    expect(newOnly.open(row!.previous_secret)).toMatch(/^whsec_/);
    expect(() => new SecretSealer(oldConfig).open(row!.secret)).toThrow(/DATA_ENCRYPTION_KEY/);

    // TOTP secrets too: one sealed with the old key opens with the new key alone after the rotation.
    const [user] = (await context.dataSource.query(`SELECT id FROM users LIMIT 1`)) as { id: string }[];
    await context.dataSource.query(
      `INSERT INTO user_totp (user_id, secret) VALUES ($1, $2)
       ON CONFLICT (user_id) DO UPDATE SET secret = EXCLUDED.secret`,
      [user!.id, new SecretSealer(configWith(DATA_KEY)).seal('JBSWY3DPEHPK3PXP')],
    );
    const secondFactors = new SecondFactorRepository(
      context.dataSource,
      new SecretSealer(configWith(`${newKey},${DATA_KEY}`)),
    );
    expect(await secondFactors.rewrapSecrets()).toBeGreaterThan(0);
    expect(await secondFactors.rewrapSecrets()).toBe(0);
    const [totp] = (await context.dataSource.query(`SELECT secret FROM user_totp WHERE user_id = $1`, [user!.id])) as {
      secret: string;
    }[];
    expect(newOnly.open(totp!.secret)).toBe('JBSWY3DPEHPK3PXP');
    expect(() => new SecretSealer(configWith(DATA_KEY)).open(totp!.secret)).toThrow(/DATA_ENCRYPTION_KEY/);
  });
});
