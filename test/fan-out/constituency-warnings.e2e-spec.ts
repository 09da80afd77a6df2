import { NestExpressApplication } from '@nestjs/platform-express';
import { DirectoryContactInput, UserRole, writeDirectoryEntry } from '@vigia/database';
import { readPublicKey } from '@vigia/pgp';
import { WarningEnvelope, subscriptionsVersionKey, warningStreamKey } from '@vigia/warning-stream';
import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import { createOrganisationWithApiKey } from '../../scripts/lib/organisation.factory';
import { waitFor } from '../../scripts/lib/wait-for';
import { reportBody } from '../factories/report.factory';
import { TestPerson, createPerson } from '../support/access-token';
import { bootIngestApp } from '../support/ingest-app';
import { bootPortalApp } from '../support/portal-app';
import { waitForQueuesToDrain } from '../support/queues';
import { SseClient } from '../support/sse-client';
import { TestContext, createTestContext } from '../support/test-context';
import { WebhookReceiver } from '../support/webhook-receiver';
import { bootWorkerApp } from '../support/worker-app';
import { testKeyPair } from '../support/pgp-keys';
import { storedMails } from '../support/stored-mails';

type Party = 'reporter' | 'owner' | 'neighbour';

interface MailRow {
  recipient: string;
  locale: string;
  subject: string;
  body: string;
  encrypted_to_key: boolean;
  status: string;
}

/**
 * Constituency warnings end to end: a member with a constituency in the directory and no subscription is warned of
 * reports about its networks, AS numbers and domains (stream, mail to its 24/7 contacts, its webhook), under the
 * sharing rule, as its settings say.
 */
describe('constituency warnings without a subscription', () => {
  let context: TestContext;
  let ingest: NestExpressApplication;
  let worker: NestExpressApplication;
  let portal: NestExpressApplication;
  let receiver: WebhookReceiver;
  let orgAdmin: TestPerson;
  let analyst: TestPerson;
  const keys = {} as Record<Party, string>;
  const orgIds = {} as Record<Party, string>;
  let nextAddress = 1;

  const contact = (overrides: Partial<DirectoryContactInput>): DirectoryContactInput => ({
    name: 'Duty officer',
    role: 'incident handler',
    email: 'duty@csirt.example',
    phone: '+59829000000',
    pgpKey: null,
    timeZone: 'America/Montevideo',
    languages: ['en'],
    hours: '24/7',
    ...overrides,
  });

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    context = await createTestContext({ WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOWED_CIDRS: '127.0.0.0/8' });
    [ingest, worker, portal] = await Promise.all([
      bootIngestApp(context.config),
      bootWorkerApp(context.config),
      bootPortalApp(context.config),
    ]);
    await portal.listen(0, '127.0.0.1');
    for (const party of ['reporter', 'owner', 'neighbour'] as const) {
      const { organisation, apiKey } = await createOrganisationWithApiKey(context.dataSource);
      keys[party] = apiKey;
      orgIds[party] = organisation.id;
    }
    orgAdmin = await createPerson(portal, orgIds.owner, UserRole.OrgAdmin);
    analyst = await createPerson(portal, orgIds.owner, UserRole.Analyst);

    const { publicKey } = await testKeyPair('guardia@cert.example');
    const { fingerprint, expiresAt } = await readPublicKey(publicKey);
    await writeDirectoryEntry(context.dataSource, orgIds.owner, {
      profile: { website: null, mandate: null, description: null },
      contacts: [
        contact({ email: 'duty@cert.example', languages: ['en'] }),
        contact({
          email: 'guardia@cert.example',
          languages: ['es'],
          pgpKey: { armored: publicKey, fingerprint, expiresAt },
        }),
      ],
      constituency: { cidrs: ['203.0.113.0/24', '2001:db8:77::/48'], asns: [64500], domains: ['gub.example'] },
    });
    await writeDirectoryEntry(context.dataSource, orgIds.neighbour, {
      profile: { website: null, mandate: null, description: null },
      contacts: [contact({ email: 'soc@neighbour.example' })],
      constituency: { cidrs: ['198.51.100.0/24'], asns: [], domains: ['neighbour.example'] },
    });
    // The directory was written behind the portal's back: tell the matcher.
    await context.redis.incr(subscriptionsVersionKey(context.config.redis.prefix));
  });

  afterAll(async () => {
    await Promise.all([ingest?.close(), worker?.close(), portal?.close()]);
    await receiver?.close();
    await context?.cleanup();
  });

  const report = async (overrides: Record<string, unknown>): Promise<string> => {
    const { body } = await request(ingest.getHttpServer())
      .post('/api/v1/reports')
      .set('X-Api-Key', keys.reporter)
      .send(reportBody({ tlp: 'green', ...overrides }))
      .expect(202);
    return body.id as string;
  };
  const anAddress = (): string => `203.0.113.${nextAddress++}`;

  /** The warnings in an organisation's stream, once every queue is empty. */
  const streamOf = async (party: Party): Promise<WarningEnvelope[]> => {
    await waitForQueuesToDrain(context.config);
    const entries = await context.redis.xrange(warningStreamKey(context.config.redis.prefix, orgIds[party]), '-', '+');
    return entries.map(([, fields]) => JSON.parse(fields[fields.indexOf('data') + 1]!) as WarningEnvelope);
  };
  const warnedAbout = async (party: Party, reportId: string): Promise<WarningEnvelope | undefined> =>
    (await streamOf(party)).find((warning) => warning.report.id === reportId);
  const mailsAbout = async (reportId: string): Promise<MailRow[]> => {
    await waitForQueuesToDrain(context.config);
    const mails = await storedMails<MailRow>(
      context,
      `SELECT recipient, locale, subject, body, encrypted AS encrypted_to_key, status
         FROM mails WHERE category = 'constituency-warning' ORDER BY recipient`,
    );
    return mails.filter((mail) => mail.body?.includes(reportId));
  };
  const settings = (caller: { token?: string; key?: string }, body?: object) => {
    const path = `/api/v1/organisations/${orgIds.owner}/constituency-warnings`;
    const call = body
      ? request(portal.getHttpServer()).put(path).send(body)
      : request(portal.getHttpServer()).get(path);
    return caller.key ? call.set('X-Api-Key', caller.key) : call.auth(caller.token!, { type: 'bearer' });
  };

  it('warns the owner of an address in a GREEN report on its stream and by mail to its 24/7 contacts', async () => {
    const stream = await SseClient.connect(`${await portal.getUrl()}/api/v1/stream`, { 'x-api-key': keys.owner });
    try {
      expect(stream.response.statusCode).toBe(200);
      const address = anAddress();
      const reportId = await report({
        indicators: [
          { type: 'ipv4', value: address },
          { type: 'ipv4', value: '192.0.2.200' },
        ],
      });
      const [message] = await stream.waitForMessages(1, 20_000);
      const warning = JSON.parse(message!.data!) as WarningEnvelope;
      expect(warning).toMatchObject({
        organisation_id: orgIds.owner,
        subscription_ids: [],
        constituency: true,
        report: { id: reportId, tlp: 'green', reporter: { id: orgIds.reporter } },
      });
      // Only the value in its constituency.
      expect(warning.indicators.map((indicator) => indicator.value)).toEqual([address]);

      const mails = await mailsAbout(reportId);
      expect(mails.map(({ recipient, locale, encrypted_to_key }) => ({ recipient, locale, encrypted_to_key }))).toEqual(
        [
          { recipient: 'duty@cert.example', locale: 'en', encrypted_to_key: false },
          { recipient: 'guardia@cert.example', locale: 'es', encrypted_to_key: true },
        ],
      );
      for (const mail of mails) {
        // No SMTP server in this test: the worker keeps each mail in the mail log.
        expect(mail.status).toBe('logged');
        expect(mail.body).toContain(address);
        expect(mail.subject).not.toContain(address);
      }
      // The neighbour's constituency holds neither value.
      expect(await warnedAbout('neighbour', reportId)).toBeUndefined();
    } finally {
      stream.close();
    }
  });

  it('does not warn the owner of a RED report not addressed to it, nor of one addressed to it unless it accepts RED', async () => {
    const notAddressed = await report({
      tlp: 'red',
      tlp_recipients: [orgIds.neighbour],
      indicators: [{ type: 'ipv4', value: anAddress() }],
    });
    const addressed = await report({
      tlp: 'red',
      tlp_recipients: [orgIds.owner],
      indicators: [{ type: 'ipv4', value: anAddress() }],
    });
    expect(await warnedAbout('owner', notAddressed)).toBeUndefined();
    expect(await warnedAbout('owner', addressed)).toBeUndefined();
    expect(await mailsAbout(notAddressed)).toEqual([]);

    await settings({ key: keys.owner }, { accepts_red: true }).expect(200);
    const redAddress = anAddress();
    const acceptedRed = await report({
      tlp: 'red',
      tlp_recipients: [orgIds.owner],
      indicators: [{ type: 'ipv4', value: redAddress }],
    });
    const stillNotAddressed = await report({
      tlp: 'red',
      tlp_recipients: [orgIds.neighbour],
      indicators: [{ type: 'ipv4', value: anAddress() }],
    });
    expect(await warnedAbout('owner', acceptedRed)).toMatchObject({ constituency: true, report: { tlp: 'red' } });
    expect(await warnedAbout('owner', stillNotAddressed)).toBeUndefined();
    // A RED value travels only in a mail encrypted to the contact's key.
    const [clear, encrypted] = await mailsAbout(acceptedRed);
    expect(clear).toMatchObject({ recipient: 'duty@cert.example', encrypted_to_key: false });
    expect(clear!.body).not.toContain(redAddress);
    expect(clear!.body).toContain('Sign in to Vigia to see the values.');
    expect(encrypted).toMatchObject({ recipient: 'guardia@cert.example', encrypted_to_key: true });
    expect(encrypted!.body).toContain(`Valores en su comunidad atendida:\n  - ${redAddress}`);
    await settings({ key: keys.owner }, { accepts_red: false }).expect(200);
  });

  it('warns the owner of domains under its suffixes, addresses in its IPv6 networks and its AS numbers', async () => {
    const reportId = await report({
      indicators: [
        { type: 'domain', value: 'login.portal.gub.example' },
        { type: 'domain', value: 'gub.example.attacker.test' },
        { type: 'url', value: 'https://tramites.gub.example/pago' },
        { type: 'ipv6', value: '2001:db8:77::15' },
        { type: 'asn', value: 'AS64500' },
      ],
    });
    const warning = await warnedAbout('owner', reportId);
    expect(warning?.indicators.map((indicator) => indicator.value).sort()).toEqual([
      '2001:db8:77::15',
      '64500',
      'https://tramites.gub.example/pago',
      'login.portal.gub.example',
    ]);
  });

  it('follows a constituency changed in the directory from the next report on', async () => {
    // Warm the matcher's index, so the change below must reach it.
    await warnedAbout('neighbour', await report({ indicators: [{ type: 'ipv4', value: '198.51.100.30' }] }));
    const neighbourAdmin = await createPerson(portal, orgIds.neighbour, UserRole.OrgAdmin);
    await request(portal.getHttpServer())
      .put(`/api/v1/directory/${orgIds.neighbour}`)
      .auth(neighbourAdmin.token, { type: 'bearer' })
      .send({
        contacts: [],
        constituency: { cidrs: ['198.51.100.0/24', '192.0.2.128/25'], domains: ['neighbour.example'] },
      })
      .expect(200);
    const reportId = await report({ indicators: [{ type: 'ipv4', value: '192.0.2.130' }] });
    expect((await warnedAbout('neighbour', reportId))?.indicators.map((i) => i.value)).toEqual(['192.0.2.130']);
  });

  it('lets the owner tune its settings: off means nothing, a minimum severity filters, every change audited', async () => {
    const defaults = await settings({ token: analyst.token }).expect(200);
    expect(defaults.body).toEqual({
      organisation_id: orgIds.owner,
      enabled: true,
      min_severity: null,
      channels: { stream: true, email: true, webhook: true },
      accepts_red: false,
      updated_at: expect.any(String), // changed by the previous test
    });
    await settings({ token: analyst.token }, { enabled: false }).expect(403);
    const bad = await settings(
      { token: orgAdmin.token },
      { enabled: 'no', min_severity: 'urgent', channels: { email: 1 } },
    ).expect(400);
    expect(new Set(bad.body.details.map((detail: { path: string }) => detail.path))).toEqual(
      new Set(['enabled', 'min_severity', 'channels.email']),
    );

    const off = await settings({ token: orgAdmin.token }, { enabled: false }).expect(200);
    expect(off.body).toMatchObject({ enabled: false, channels: { stream: true, email: true, webhook: true } });
    const ignored = await report({ indicators: [{ type: 'ipv4', value: anAddress() }] });
    expect(await warnedAbout('owner', ignored)).toBeUndefined();
    expect(await mailsAbout(ignored)).toEqual([]);

    await settings(
      { token: orgAdmin.token },
      { enabled: true, min_severity: 'critical', channels: { email: false } },
    ).expect(200);
    const high = await report({ severity: 'high', indicators: [{ type: 'ipv4', value: anAddress() }] });
    const critical = await report({ severity: 'critical', indicators: [{ type: 'ipv4', value: anAddress() }] });
    expect(await warnedAbout('owner', high)).toBeUndefined();
    expect(await warnedAbout('owner', critical)).toMatchObject({ constituency: true });
    expect(await mailsAbout(critical)).toEqual([]); // mail is off

    const [change] = (await context.dataSource.query(
      `SELECT actor_user_id, details FROM audit_events
        WHERE action = 'constituency_warnings.changed' AND organisation_id = $1 ORDER BY id DESC LIMIT 1`,
      [orgIds.owner],
    )) as { actor_user_id: string; details: Record<string, unknown> }[];
    expect(change).toEqual({
      actor_user_id: orgAdmin.user.id,
      details: expect.objectContaining({
        changed: ['enabled', 'min_severity', 'email'],
        before_enabled: false,
        after_enabled: true,
        before_min_severity: null,
        after_min_severity: 'critical',
        before_email: true,
        after_email: false,
      }),
    });
    await settings({ token: orgAdmin.token }, { min_severity: null, channels: { email: true } }).expect(200);
  });

  it('sends constituency warnings to the webhook the owner already has, once per report', async () => {
    // A subscription that matches nothing of the report below: only its webhook endpoint is used.
    const subscription = await request(portal.getHttpServer())
      .post('/api/v1/subscriptions')
      .set('X-Api-Key', keys.owner)
      .send({
        name: 'hashes only',
        filters: { indicator_types: ['sha256'] },
        channels: [{ type: 'webhook', url: receiver.url('/owner') }],
      })
      .expect(201);
    const secret = subscription.body.channels[0].secret as string;
    const address = anAddress();
    const reportId = await report({ indicators: [{ type: 'ipv4', value: address }] });
    await waitFor('the constituency webhook', async () => receiver.requestsTo('/owner').length > 0 || undefined);
    await waitForQueuesToDrain(context.config);
    const [delivered] = receiver.requestsTo('/owner');
    expect(receiver.requestsTo('/owner')).toHaveLength(1);
    const envelope = new Webhook(secret).verify(
      delivered!.body,
      delivered!.headers as Record<string, string>,
    ) as WarningEnvelope;
    expect(envelope).toMatchObject({ constituency: true, subscription_ids: [], report: { id: reportId } });
    expect(envelope.indicators.map((indicator) => indicator.value)).toEqual([address]);
  });
});
