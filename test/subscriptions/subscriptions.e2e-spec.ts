import { NestExpressApplication } from '@nestjs/platform-express';
import { SecretSealer, WebhookEndpointEntity } from '@vigia/database';
import { subscriptionsVersionKey } from '@vigia/warning-stream';
import request from 'supertest';
import { createOrganisationWithApiKey } from '../../scripts/lib/organisation.factory';
import { bootPortalApp } from '../support/portal-app';
import { TestContext, createTestContext } from '../support/test-context';
import { expiredPublicKey, revokedPublicKey, testKeyPair } from '../support/pgp-keys';

// The test environment is production-like for webhooks: https only, public addresses only, no allow-list.
describe('portal: subscriptions', () => {
  let context: TestContext;
  let app: NestExpressApplication;
  let apiKey: string;
  let otherApiKey: string;

  beforeAll(async () => {
    context = await createTestContext();
    app = await bootPortalApp(context.config);
    apiKey = (await createOrganisationWithApiKey(context.dataSource)).apiKey;
    otherApiKey = (await createOrganisationWithApiKey(context.dataSource)).apiKey;
  });

  afterAll(async () => {
    await app?.close();
    await context?.cleanup();
  });

  const api = (key = apiKey) => ({
    post: (path: string, body?: object) =>
      request(app.getHttpServer()).post(`/api/v1/subscriptions${path}`).set('X-Api-Key', key).send(body),
    get: (path = '') => request(app.getHttpServer()).get(`/api/v1/subscriptions${path}`).set('X-Api-Key', key),
    patch: (path: string, body: object) =>
      request(app.getHttpServer()).patch(`/api/v1/subscriptions${path}`).set('X-Api-Key', key).send(body),
    delete: (path: string) => request(app.getHttpServer()).delete(`/api/v1/subscriptions${path}`).set('X-Api-Key', key),
  });

  // A public address literal: accepted by the policy without DNS; nothing is ever sent in this file.
  const PUBLIC_HOOK = 'https://93.184.216.34:8443/vigia/hooks';

  const createBody = (overrides: Record<string, unknown> = {}) => ({
    name: 'Phishing against our constituency',
    filters: {
      indicator_types: ['ipv4', 'domain', 'ipv4'],
      classifications: ['fraud'],
      min_severity: 'high',
      min_confidence: 60,
      countries: ['uy', 'AR'],
      sectors: ['government'],
      min_org_count: 2,
      constituency: {
        cidrs: ['198.51.100.0/24', '2001:DB8::/32', '203.0.113.7'],
        asns: [64496, 'AS64497'],
        domains: ['.GUB.UY', '*.bücher.example', 'uy'],
      },
    },
    channels: [{ type: 'webhook', url: PUBLIC_HOOK }, { type: 'stream' }],
    ...overrides,
  });

  it('creates a subscription with canonical filters and shows the webhook secret once', async () => {
    const created = await api().post('', createBody()).expect(201);
    expect(created.body).toMatchObject({
      id: expect.any(String),
      name: 'Phishing against our constituency',
      active: true,
      filters: {
        indicator_types: ['ipv4', 'domain'],
        classifications: ['fraud'],
        min_severity: 'high',
        min_confidence: 60,
        countries: ['UY', 'AR'],
        sectors: ['government'],
        min_org_count: 2,
        constituency: {
          cidrs: ['198.51.100.0/24', '2001:db8::/32', '203.0.113.7/32'],
          asns: [64496, 64497],
          domains: ['gub.uy', 'xn--bcher-kva.example', 'uy'],
        },
        include_own_reports: false,
      },
    });
    const [webhook, stream] = created.body.channels;
    expect(webhook).toEqual({
      type: 'webhook',
      id: expect.any(String),
      url: PUBLIC_HOOK,
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
      disabled_at: null,
      disabled_reason: null,
    });
    expect(stream).toEqual({ type: 'stream' });

    const listed = await api().get().expect(200);
    expect(listed.body.items).toHaveLength(1);
    expect(listed.body.items[0].channels[0]).not.toHaveProperty('secret');
    const fetched = await api().get(`/${created.body.id}`).expect(200);
    expect(fetched.body).toEqual({ ...created.body, channels: [{ ...webhook, secret: undefined }, stream] });
    expect(JSON.stringify(fetched.body)).not.toContain('whsec_');
  });

  it('updates filters and channels, keeping webhooks by URL and showing only new secrets', async () => {
    const created = (await api().post('', createBody()).expect(201)).body;
    const kept = created.channels[0];
    const otherHook = 'https://93.184.216.35/second';
    const updated = await api()
      .patch(`/${created.id}`, {
        name: 'Renamed',
        active: false,
        filters: { min_severity: null, countries: [], constituency: { asns: [64511] } },
        channels: [
          { type: 'webhook', url: PUBLIC_HOOK },
          { type: 'webhook', url: otherHook },
        ],
      })
      .expect(200);
    expect(updated.body).toMatchObject({
      name: 'Renamed',
      active: false,
      filters: {
        min_severity: null,
        countries: [],
        min_confidence: 60,
        constituency: { cidrs: created.filters.constituency.cidrs, asns: [64511] },
      },
    });
    expect(updated.body.channels).toEqual([
      { type: 'webhook', id: kept.id, url: PUBLIC_HOOK, disabled_at: null, disabled_reason: null },
      expect.objectContaining({ type: 'webhook', url: otherHook, secret: expect.stringMatching(/^whsec_/) }),
    ]);
  });

  it('rotates a webhook secret, the previous one staying valid for the grace period', async () => {
    const created = (await api().post('', createBody()).expect(201)).body;
    const endpoint = created.channels[0];
    const rotated = await api().post(`/${created.id}/webhooks/${endpoint.id}/rotate-secret`).expect(200);
    expect(rotated.body).toEqual({
      endpoint_id: endpoint.id,
      secret: expect.stringMatching(/^whsec_/),
      previous_secret_valid_until: expect.any(String),
    });
    expect(rotated.body.secret).not.toBe(endpoint.secret);
    const graceLeft = Date.parse(rotated.body.previous_secret_valid_until) - Date.now();
    expect(graceLeft).toBeGreaterThan(23.9 * 3600_000);
    const stored = await context.dataSource.getRepository(WebhookEndpointEntity).findOneByOrFail({ id: endpoint.id });
    // Stored sealed (DATA_ENCRYPTION_KEY), opening to the secrets answered.
    const sealer = app.get(SecretSealer);
    expect(JSON.stringify(stored)).not.toContain(rotated.body.secret);
    expect(JSON.stringify(stored)).not.toContain(endpoint.secret);
    expect(sealer.open(stored.secret)).toBe(rotated.body.secret);
    expect(sealer.open(stored.previousSecret as string)).toBe(endpoint.secret);
    await api().post(`/${created.id}/webhooks/${created.id}/rotate-secret`).expect(404);
  });

  it('re-enables a disabled webhook endpoint', async () => {
    const created = (await api().post('', createBody()).expect(201)).body;
    const endpoint = created.channels[0];
    await context.dataSource
      .getRepository(WebhookEndpointEntity)
      .update(endpoint.id, { disabledAt: new Date(), disabledReason: 'receiver answered 410 Gone' });
    const disabled = await api().get(`/${created.id}`).expect(200);
    expect(disabled.body.channels[0]).toMatchObject({ disabled_reason: 'receiver answered 410 Gone' });
    const enabled = await api().post(`/${created.id}/webhooks/${endpoint.id}/enable`).expect(200);
    expect(enabled.body).toMatchObject({ id: endpoint.id, disabled_at: null, disabled_reason: null });
  });

  it('deletes a subscription', async () => {
    const created = (await api().post('', createBody()).expect(201)).body;
    await api().delete(`/${created.id}`).expect(204);
    await api().get(`/${created.id}`).expect(404);
    await api().delete(`/${created.id}`).expect(404);
  });

  it('announces every change to the worker’s matcher by moving the subscriptions version', async () => {
    const version = async () => Number(await context.redis.get(subscriptionsVersionKey(context.config.redis.prefix)));
    const before = await version();
    const created = (await api().post('', createBody()).expect(201)).body;
    expect(await version()).toBe(before + 1);
    await api().patch(`/${created.id}`, { active: false }).expect(200);
    expect(await version()).toBe(before + 2);
    await api().post(`/${created.id}/webhooks/${created.channels[0].id}/rotate-secret`).expect(200);
    expect(await version()).toBe(before + 2); // secrets are not part of matching
    await api().delete(`/${created.id}`).expect(204);
    expect(await version()).toBe(before + 3);
  });

  it('hides one organisation’s subscriptions from another: 404 everywhere', async () => {
    const created = (await api().post('', createBody()).expect(201)).body;
    const endpointId = created.channels[0].id;
    const other = api(otherApiKey);
    expect((await other.get().expect(200)).body.items).toEqual([]);
    const answers = await Promise.all([
      other.get(`/${created.id}`),
      other.patch(`/${created.id}`, { name: 'mine now' }),
      other.delete(`/${created.id}`),
      other.post(`/${created.id}/webhooks/${endpointId}/rotate-secret`),
      other.post(`/${created.id}/webhooks/${endpointId}/enable`),
      other.get(`/${created.id}/deliveries`),
    ]);
    for (const answer of answers) {
      expect(answer.status).toBe(404);
      expect(answer.body).toMatchObject({ statusCode: 404, error: 'NOT_FOUND' });
    }
    await api().get(`/${created.id}`).expect(200);
  });

  it('answers 401 without a valid API key and 400 for a malformed id', async () => {
    const missing = await request(app.getHttpServer()).get('/api/v1/subscriptions').expect(401);
    expect(missing.body).toMatchObject({ statusCode: 401, error: 'UNAUTHENTICATED' });
    await api('vigia_not-a-key').post('', createBody()).expect(401);
    const malformed = await api().get('/not-a-uuid').expect(400);
    expect(malformed.body).toMatchObject({ statusCode: 400, error: 'VALIDATION_FAILED' });
  });

  it('reports every problem of a bad subscription in one 400', async () => {
    const response = await api()
      .post('', {
        active: 'yes',
        filters: {
          indicator_types: ['ipv4', 'pigeon'],
          classifications: ['nonsense'],
          min_severity: 'apocalyptic',
          min_confidence: 101,
          countries: ['XX'],
          sectors: ['Bad Sector'],
          min_org_count: 0,
          include_own_reports: 'sometimes',
          accepts_red: 'if asked',
          constituency: {
            cidrs: ['198.51.100.0/24', '10.0.0.1/8', 'not-an-ip'],
            asns: [64496, 0],
            domains: ['gub.uy', 'not a domain'],
          },
        },
        channels: [{ type: 'pigeon' }, { type: 'email' }, { type: 'webhook' }, { type: 'webhook', url: 'hooks' }],
      })
      .expect(400);
    expect(response.body).toMatchObject({ statusCode: 400, error: 'VALIDATION_FAILED' });
    const problems = (response.body.details as { path: string; value?: unknown; reason: string }[]).map(
      ({ path, reason }) => `${path}: ${reason}`,
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^name: /),
        expect.stringMatching(/^active: active must be a boolean/),
        expect.stringMatching(/^filters\.indicator_types: each indicator type must be one of/),
        expect.stringMatching(/^filters\.classifications: each classification must be an RSIT classification/),
        expect.stringMatching(/^filters\.min_severity: /),
        expect.stringMatching(/^filters\.min_confidence: /),
        expect.stringMatching(/^filters\.countries: /),
        expect.stringMatching(/^filters\.sectors: each sector must be a lower-case slug/),
        expect.stringMatching(/^filters\.min_org_count: /),
        expect.stringMatching(/^filters\.include_own_reports: /),
        expect.stringMatching(/^filters\.accepts_red: /),
        'filters.constituency.cidrs[1]: CIDR has host bits set; did you mean 10.0.0.0/8?',
        expect.stringMatching(/^filters\.constituency\.cidrs\[2\]: "not-an-ip" is not a valid IPv4 address/),
        expect.stringMatching(/^filters\.constituency\.asns\[1\]: AS0 is reserved/),
        expect.stringMatching(/^filters\.constituency\.domains\[1\]: /),
        'channels[0].type: type must be one of: webhook, stream, email',
        'channels[1].address: an email channel needs an e-mail address',
        'channels[2].url: a webhook needs an absolute https:// url of at most 2048 characters',
        'channels[3].url: a webhook needs an absolute https:// url of at most 2048 characters',
      ]),
    );
    expect(problems.filter((problem) => problem.startsWith('filters.constituency.cidrs['))).toHaveLength(2);
    expect(problems.filter((problem) => problem.startsWith('channels[2].url'))).toHaveLength(1);
    const cidr = response.body.details.find((detail: { path: string }) => detail.path.endsWith('cidrs[1]'));
    expect(cidr.value).toBe('10.0.0.1/8');

    const noChannel = await api().post('', { name: 'x', channels: [] }).expect(400);
    expect(noChannel.body.details).toEqual([{ path: 'channels', reason: 'channels must list at least one channel' }]);
  });

  describe('e-mail channels', () => {
    const pgpKey = (options: { date?: Date; keyExpirationTime?: number } = {}) =>
      testKeyPair('soc@csirt.example', options);

    it('adds e-mail channels, showing back the key’s fingerprint and expiry, never the key', async () => {
      const { publicKey } = await pgpKey({ keyExpirationTime: 30 * 24 * 3600 });
      const created = await api()
        .post(
          '',
          createBody({
            channels: [
              { type: 'email', address: 'soc@csirt.example', pgp_public_key: publicKey, language: 'es' },
              { type: 'email', address: 'noc@csirt.example', mode: 'daily' },
            ],
          }),
        )
        .expect(201);
      const [plain, keyed] = created.body.channels; // by address
      expect(keyed).toEqual({
        type: 'email',
        id: expect.any(String),
        address: 'soc@csirt.example',
        mode: 'immediate',
        language: 'es',
        pgp_key: { fingerprint: expect.stringMatching(/^[0-9A-F]{40}$/), expires_at: expect.any(String) },
      });
      expect(new Date(keyed.pgp_key.expires_at).getTime()).toBeGreaterThan(Date.now() + 29 * 24 * 3600_000);
      expect(plain).toMatchObject({ mode: 'daily', language: 'en', pgp_key: null });
      expect(JSON.stringify(created.body)).not.toContain('PGP PUBLIC KEY');
      expect((await api().get(`/${created.body.id}`).expect(200)).body.channels).toEqual(created.body.channels);

      // Given channels replace the list; a channel is kept by its address (any case) and takes the new settings,
      // keeping its key when none is given.
      const updated = await api()
        .patch(`/${created.body.id}`, {
          channels: [{ type: 'email', address: 'SOC@csirt.example', mode: 'hourly', language: 'pt' }],
        })
        .expect(200);
      expect(updated.body.channels).toEqual([
        {
          type: 'email',
          id: keyed.id,
          address: 'SOC@csirt.example',
          mode: 'hourly',
          language: 'pt',
          pgp_key: keyed.pgp_key,
        },
      ]);
      const [audit] = (await context.dataSource.query(
        `SELECT details FROM audit_events WHERE action = 'subscription.updated' AND target_id = $1`,
        [created.body.id],
      )) as { details: Record<string, unknown> }[];
      expect(audit!.details).toMatchObject({ emails_added: [], emails_removed: [plain.id] });
    });

    it('keeps an e-mail channel’s key when its channels are sent again, replaces it or removes it when told', async () => {
      const first = await pgpKey();
      const second = await pgpKey();
      const created = await api()
        .post(
          '',
          createBody({
            channels: [{ type: 'email', address: 'soc@csirt.example', pgp_public_key: first.publicKey }],
          }),
        )
        .expect(201);
      const [channel] = created.body.channels;
      const storedKey = async () =>
        (
          (await context.dataSource.query(
            `SELECT pgp_public_key, pgp_fingerprint FROM subscription_email_channels WHERE id = $1`,
            [channel.id],
          )) as { pgp_public_key: string | null; pgp_fingerprint: string | null }[]
        )[0];

      // As the console's edit form does: the channels as shown back, with a webhook added; the key is not shown.
      const resent = await api()
        .patch(`/${created.body.id}`, {
          channels: [
            { type: 'email', address: channel.address, mode: channel.mode, language: channel.language },
            { type: 'webhook', url: PUBLIC_HOOK },
          ],
        })
        .expect(200);
      expect(resent.body.channels.find((c: { type: string }) => c.type === 'email')).toEqual(channel);
      expect(await storedKey()).toEqual({
        pgp_public_key: first.publicKey.trim(),
        pgp_fingerprint: channel.pgp_key.fingerprint,
      });

      // A new key replaces it.
      const replaced = await api()
        .patch(`/${created.body.id}`, {
          channels: [{ type: 'email', address: channel.address, pgp_public_key: second.publicKey }],
        })
        .expect(200);
      const [rekeyed] = replaced.body.channels;
      expect(rekeyed.id).toBe(channel.id);
      expect(rekeyed.pgp_key.fingerprint).not.toBe(channel.pgp_key.fingerprint);
      expect((await storedKey())!.pgp_public_key).toBe(second.publicKey.trim());

      // null removes it, as does a blank key.
      for (const removal of [null, '  ']) {
        await api()
          .patch(`/${created.body.id}`, {
            channels: [{ type: 'email', address: channel.address, pgp_public_key: second.publicKey }],
          })
          .expect(200);
        const cleared = await api()
          .patch(`/${created.body.id}`, {
            channels: [{ type: 'email', address: channel.address, pgp_public_key: removal }],
          })
          .expect(200);
        expect(cleared.body.channels).toEqual([{ ...channel, pgp_key: null }]);
        expect(await storedKey()).toEqual({ pgp_public_key: null, pgp_fingerprint: null });
      }

      // A new channel given without a key has none.
      const added = await api()
        .patch(`/${created.body.id}`, {
          channels: [{ type: 'email', address: 'noc@csirt.example' }],
        })
        .expect(200);
      expect(added.body.channels).toEqual([expect.objectContaining({ address: 'noc@csirt.example', pgp_key: null })]);
    });

    it('refuses unusable keys and bad e-mail settings with their reasons', async () => {
      const expired = await expiredPublicKey('a@csirt.example');
      const revoked = await revokedPublicKey('b@csirt.example');
      const usable = await pgpKey();
      const response = await api()
        .post(
          '',
          createBody({
            channels: [
              { type: 'email', address: 'a@csirt.example', pgp_public_key: expired },
              { type: 'email', address: 'b@csirt.example', pgp_public_key: revoked },
              { type: 'email', address: 'c@csirt.example', pgp_public_key: usable.privateKey },
              { type: 'email', address: 'd@csirt.example', pgp_public_key: 'hello' },
              { type: 'email', address: 'A@CSIRT.example' },
            ],
          }),
        )
        .expect(400);
      const problemsOf = (body: { details: { path: string; reason: string }[] }) =>
        body.details.map(({ path, reason }) => `${path}: ${reason}`).sort();
      expect(problemsOf(response.body)).toEqual([
        expect.stringMatching(/^channels\[0\]\.pgp_public_key: the key expired on \d{4}-/),
        'channels[1].pgp_public_key: the key is revoked',
        'channels[2].pgp_public_key: this is a private key: register the public key only',
        'channels[3].pgp_public_key: not an ASCII-armored OpenPGP public key',
        'channels[4].address: the same address is listed twice',
      ]);
      const settings = await api()
        .post(
          '',
          createBody({
            channels: [
              { type: 'email', address: 'e@csirt.example', mode: 'weekly', language: 'de' },
              { type: 'email', address: 'not an address' },
            ],
          }),
        )
        .expect(400);
      expect(problemsOf(settings.body)).toEqual([
        'channels[0].language: language must be one of: en, es, pt, fr',
        'channels[0].mode: mode must be one of: immediate, hourly, daily',
        'channels[1].address: an email channel needs an e-mail address',
      ]);
      // The key is never echoed back, not even a private key given by mistake.
      expect(JSON.stringify(response.body)).not.toContain('BEGIN PGP');
    });
  });

  it('refuses webhook URLs that could reach internal services (SSRF), with a reason for each', async () => {
    const refuse = async (url: string) => {
      const response = await api()
        .post('', createBody({ channels: [{ type: 'webhook', url }] }))
        .expect(400);
      return (response.body.details as { path: string; reason: string }[]).map(({ path, reason }) => {
        expect(path).toBe('channels[0].url');
        return reason;
      });
    };
    expect(await refuse('https://127.0.0.1/hooks')).toEqual([
      '127.0.0.1 is a loopback address; webhooks may only target public addresses',
    ]);
    expect(await refuse('https://169.254.169.254/latest/meta-data/')).toEqual([
      expect.stringMatching(/^169\.254\.169\.254 is a link-local address/),
    ]);
    expect(await refuse('https://[::ffff:10.0.0.1]/')).toEqual([expect.stringContaining('private address')]);
    expect(await refuse('https://localhost:8443/hooks')).toContainEqual(
      expect.stringMatching(/^localhost resolves to (127\.0\.0\.1|::1), a loopback address/),
    );
    expect(await refuse('http://93.184.216.34/hooks')).toEqual(['scheme must be https, not http']);
    expect(await refuse('https://user:secret@93.184.216.34/')).toEqual([
      'URL must not carry credentials; authenticate by the signature',
    ]);
    expect(await refuse('https://no-such-host.invalid/')).toEqual([
      expect.stringMatching(/^host no-such-host\.invalid does not resolve/),
    ]);

    const twice = await api()
      .post(
        '',
        createBody({
          channels: [
            { type: 'stream' },
            { type: 'stream' },
            { type: 'webhook', url: PUBLIC_HOOK },
            { type: 'webhook', url: PUBLIC_HOOK },
          ],
        }),
      )
      .expect(400);
    expect(twice.body.details).toEqual([
      { path: 'channels[1].type', value: 'stream', reason: 'stream is listed twice' },
      { path: 'channels[3].url', value: PUBLIC_HOOK, reason: 'the same URL is listed twice' },
    ]);

    const created = (await api().post('', createBody()).expect(201)).body;
    const update = await api()
      .patch(`/${created.id}`, { channels: [{ type: 'webhook', url: 'https://10.1.2.3/' }] })
      .expect(400);
    expect(update.body.details[0]).toMatchObject({
      path: 'channels[0].url',
      reason: expect.stringContaining('private'),
    });
  });
});
