import { NestExpressApplication } from '@nestjs/platform-express';
import { redisConnectionOptions } from '@vigia/common';
import { FanOutWarningsPayload, QueueName, warningsJobId, queueKeyPrefix } from '@vigia/queue';
import { Queue } from 'bullmq';
import request from 'supertest';
import { FanOutWarningsHandler } from '../../apps/worker/src/fan-out/fan-out-warnings.handler';
import { SendWarningDigestsHandler } from '../../apps/worker/src/warning-mail/send-warning-digests.handler';
import { createOrganisationWithApiKey } from '../../scripts/lib/organisation.factory';
import { waitFor } from '../../scripts/lib/wait-for';
import { reportBody } from '../factories/report.factory';
import { bootIngestApp } from '../support/ingest-app';
import { bootPortalApp } from '../support/portal-app';
import { waitForQueuesToDrain } from '../support/queues';
import { ReceivedMail, TestSmtpServer } from '../support/smtp-server';
import { TestContext, createTestContext } from '../support/test-context';
import { bootWorkerApp } from '../support/worker-app';
import { decryptedText, testKeyPair } from '../support/pgp-keys';

type Party = 'reporter' | 'recipient' | 'other';

const GREEN_VALUE = '203.0.113.50';
const RED_VALUE = '203.0.113.66';
const AMBER_VALUE = 'amber-kit.example';

/** Addresses of the e-mail channels, by who owns them. */
const KEYED = 'duty@recipient.example'; // immediate, OpenPGP, Spanish, accepts RED
const PLAIN = 'plain@recipient.example'; // immediate, in clear, does not accept RED
const DIGEST = 'digest@recipient.example'; // daily digest, accepts RED
const OTHER = 'soc@other.example'; // immediate, accepts RED, but never in a RED report's audience here
const OTHER_DIGEST = 'digest@other.example'; // hourly digest, accepts RED

const DAY_MS = 24 * 3600_000;

/** Early warnings by e-mail, end to end: ingest → normalise → fan-out → mail (or digest) → SMTP. */
describe('early warnings by e-mail', () => {
  let smtp: TestSmtpServer;
  let context: TestContext;
  let ingest: NestExpressApplication;
  let worker: NestExpressApplication;
  let portal: NestExpressApplication;
  let privateKey: string;
  const keys = {} as Record<Party, string>;
  const orgIds = {} as Record<Party, string>;
  const reportIds: Record<'green' | 'red' | 'amber', string> = { green: '', red: '', amber: '' };

  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
    context = await createTestContext({ SMTP_URL: smtp.url });
    [ingest, worker, portal] = await Promise.all([
      bootIngestApp(context.config),
      bootWorkerApp(context.config),
      bootPortalApp(context.config),
    ]);
    for (const party of ['reporter', 'recipient', 'other'] as Party[]) {
      const { organisation, apiKey } = await createOrganisationWithApiKey(context.dataSource);
      keys[party] = apiKey;
      orgIds[party] = organisation.id;
    }
    const pair = await testKeyPair(KEYED);
    privateKey = pair.privateKey;
    await subscribe('recipient', 'Keyed duty desk', true, [
      { type: 'email', address: KEYED, pgp_public_key: pair.publicKey, language: 'es' },
    ]);
    await subscribe('recipient', 'Plain', false, [{ type: 'email', address: PLAIN }]);
    await subscribe('recipient', 'Daily', true, [{ type: 'email', address: DIGEST, mode: 'daily' }]);
    await subscribe('other', 'Everything', true, [
      { type: 'email', address: OTHER },
      { type: 'email', address: OTHER_DIGEST, mode: 'hourly' },
    ]);
  });

  afterAll(async () => {
    await Promise.all([ingest?.close(), worker?.close(), portal?.close()]);
    await smtp?.close();
    await context?.cleanup();
  });

  async function subscribe(party: Party, name: string, acceptsRed: boolean, channels: object[]): Promise<void> {
    await request(portal.getHttpServer())
      .post('/api/v1/subscriptions')
      .set('X-Api-Key', keys[party])
      .send({ name, filters: { accepts_red: acceptsRed }, channels })
      .expect(201);
  }

  async function submit(body: Record<string, unknown>): Promise<string> {
    const response = await request(ingest.getHttpServer())
      .post('/api/v1/reports')
      .set('X-Api-Key', keys.reporter)
      .send(body)
      .expect(202);
    return response.body.id as string;
  }

  /** Nothing left to normalise or fan out, and every queued mail sent. */
  async function settled(): Promise<void> {
    await waitForQueuesToDrain(context.config, [QueueName.Reports, QueueName.Warnings]);
    await waitFor('mails to go out', async () => {
      const [{ queued }] = (await context.dataSource.query(
        `SELECT count(*)::int AS queued FROM mails WHERE status = 'queued'`,
      )) as { queued: number }[];
      return queued === 0 ? true : undefined;
    });
  }

  const decrypted = (mail: ReceivedMail): Promise<string> => decryptedText(mail.text, privateKey);

  it('keeps the digest job on a timer in the worker', async () => {
    const mail = new Queue(QueueName.Mail, {
      connection: redisConnectionOptions(context.config.redis.url),
      prefix: queueKeyPrefix(context.config.redis.prefix),
    });
    try {
      const scheduler = await waitFor(
        'the digest job scheduler',
        async () => ((await mail.getJobScheduler('warning-digests')) as object | undefined) ?? undefined,
      );
      expect(scheduler).toMatchObject({ name: 'send-warning-digests', every: 60_000 });
      // From here on digests go out only when a test says so: a period ending during the run changes nothing.
      await mail.removeJobScheduler('warning-digests');
    } finally {
      await mail.close();
    }
  });

  it('mails each immediate channel at once: encrypted to its key when it has one, in its language', async () => {
    reportIds.green = await submit(
      reportBody({ tlp: 'green', indicators: [{ type: 'ipv4', value: GREEN_VALUE, confidence: 85 }] }),
    );

    const keyed = await smtp.waitForMail({ to: KEYED });
    expect(keyed.subject).toBe('[TLP:GREEN] Alerta temprana de Vigia: fraud / phishing, severidad alta');
    expect(keyed.headers.get('content-language')).toBe('es');
    expect(keyed.text).toMatch(/^-----BEGIN PGP MESSAGE-----/);
    expect(keyed.raw).not.toContain(GREEN_VALUE);
    const text = await decrypted(keyed);
    expect(text).toMatch(/^TLP:GREEN\n/);
    expect(text).toContain('suscripción «Keyed duty desk»');
    expect(text).toContain(`  - ipv4 ${GREEN_VALUE} (confianza 85; informado por 1 organización`);
    expect(text).toContain(`Id. del informe: ${reportIds.green}`);

    const plain = await smtp.waitForMail({ to: PLAIN });
    expect(plain.subject).toBe('[TLP:GREEN] Vigia early warning: fraud / phishing, severity high');
    expect(plain.subject).not.toContain(GREEN_VALUE);
    expect(plain.text).toContain(`  - ipv4 ${GREEN_VALUE} (confidence 85; reported by 1 organisation`);
    await smtp.waitForMail({ to: OTHER });
    await settled();

    // Digest channels got the warning recorded for later, not mailed.
    expect(smtp.mailsTo({ to: DIGEST })).toEqual([]);
    const pending = (await context.dataSource.query(
      `SELECT c.address, w.status, w.due_at FROM email_channel_warnings w
         JOIN subscription_email_channels c ON c.id = w.channel_id
        WHERE w.report_id = $1 AND w.status = 'pending' ORDER BY c.address`,
      [reportIds.green],
    )) as { address: string; due_at: Date }[];
    expect(pending.map((row) => row.address)).toEqual([OTHER_DIGEST, DIGEST]);
    // Hourly: the next full hour; daily: the next midnight, UTC.
    expect(pending[0]!.due_at.getTime() % 3600_000).toBe(0);
    expect(pending[0]!.due_at.getTime() - Date.now()).toBeLessThanOrEqual(3600_000);
    expect(pending[1]!.due_at.getTime() % DAY_MS).toBe(0);
  });

  it('mails nobody twice however often the fan-out runs again', async () => {
    const warnings = new Queue(QueueName.Warnings, {
      connection: redisConnectionOptions(context.config.redis.url),
      prefix: queueKeyPrefix(context.config.redis.prefix),
    });
    let payload: FanOutWarningsPayload;
    try {
      const job = await warnings.getJob(warningsJobId(reportIds.green));
      payload = job!.data as FanOutWarningsPayload;
    } finally {
      await warnings.close();
    }
    expect(payload.indicatorIds.length).toBeGreaterThan(0);
    const fanOut = worker.get(FanOutWarningsHandler);
    await fanOut.handle(payload);
    await fanOut.handle(payload);
    await settled();
    await new Promise((resolve) => setTimeout(resolve, 500));

    for (const address of [KEYED, PLAIN, OTHER]) expect(smtp.mailsTo({ to: address })).toHaveLength(1);
    const [{ records, mails }] = (await context.dataSource.query(
      `SELECT count(*)::int AS records, count(DISTINCT mail_id)::int AS mails
         FROM email_channel_warnings WHERE report_id = $1`,
      [reportIds.green],
    )) as { records: number; mails: number }[];
    expect(records).toBe(5); // one per channel
    expect(mails).toBe(3); // one per immediate channel
    const [{ logged }] = (await context.dataSource.query(
      `SELECT count(*)::int AS logged FROM mails WHERE category = 'warning-immediate'`,
    )) as { logged: number }[];
    expect(logged).toBe(3);
  });

  it('mails a TLP:RED warning only to its audience, through subscriptions that accept RED', async () => {
    reportIds.red = await submit(
      reportBody({
        tlp: 'red',
        tlp_recipients: [orgIds.recipient],
        indicators: [{ type: 'ipv4', value: RED_VALUE }],
      }),
    );
    const [, red] = await smtp.waitForMails({ to: KEYED }, 2);
    expect(red!.subject).toMatch(/^\[TLP:RED\] /);
    expect(red!.subject).not.toContain(RED_VALUE);
    expect(await decrypted(red!)).toContain(`ipv4 ${RED_VALUE}`);
    await settled();

    expect(smtp.mailsTo({ to: PLAIN })).toHaveLength(1); // does not accept RED: still only the GREEN warning
    expect(smtp.mailsTo({ to: OTHER })).toHaveLength(1); // not in the audience
    const channels = (await context.dataSource.query(
      `SELECT c.address FROM email_channel_warnings w JOIN subscription_email_channels c ON c.id = w.channel_id
        WHERE w.report_id = $1 ORDER BY c.address`,
      [reportIds.red],
    )) as { address: string }[];
    expect(channels.map((row) => row.address)).toEqual([DIGEST, KEYED]);
  });

  it('gathers a period’s warnings into one digest per channel, each item with its TLP label', async () => {
    reportIds.amber = await submit(reportBody({ tlp: 'amber', indicators: [{ type: 'domain', value: AMBER_VALUE }] }));
    await settled();
    expect(smtp.mailsTo({ to: DIGEST })).toEqual([]);

    const digests = worker.get(SendWarningDigestsHandler);
    expect(await digests.sendDue(new Date(Date.now() + DAY_MS + 60_000))).toEqual({ mails: 2 });
    await settled();

    const [daily] = await smtp.waitForMails({ to: DIGEST });
    expect(daily!.subject).toBe('[TLP:RED] Vigia daily digest: 3 early warnings');
    for (const value of [GREEN_VALUE, RED_VALUE, AMBER_VALUE]) {
      expect(daily!.subject).not.toContain(value);
      expect(daily!.text).toContain(value);
    }
    expect(daily!.text.match(/^\[\d\/3\] TLP:[A-Z+]+$/gm)).toEqual([
      '[1/3] TLP:GREEN',
      '[2/3] TLP:RED',
      '[3/3] TLP:AMBER',
    ]);

    const [hourly] = await smtp.waitForMails({ to: OTHER_DIGEST });
    expect(hourly!.subject).toBe('[TLP:AMBER] Vigia hourly digest: 2 early warnings');
    expect(hourly!.text).toContain(GREEN_VALUE);
    expect(hourly!.text).toContain(AMBER_VALUE);

    // Nothing is due any more: another run mails nothing; the items keep no content once mailed.
    expect(await digests.sendDue(new Date(Date.now() + 2 * DAY_MS))).toEqual({ mails: 0 });
    const [{ pending, kept }] = (await context.dataSource.query(
      `SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending,
              count(*) FILTER (WHERE content IS NOT NULL)::int AS kept
         FROM email_channel_warnings`,
    )) as { pending: number; kept: number }[];
    expect({ pending, kept }).toEqual({ pending: 0, kept: 0 });
    expect(smtp.mailsTo({ to: DIGEST })).toHaveLength(1);
  });

  it('drops, never mails, digest items their recipient may no longer receive once the digest goes out', async () => {
    const value = '203.0.113.77';
    reportIds.green = await submit(reportBody({ tlp: 'green', indicators: [{ type: 'ipv4', value }] }));
    await settled();
    await context.dataSource.query(`UPDATE organisations SET status = 'suspended' WHERE id = $1`, [orgIds.other]);

    expect(await worker.get(SendWarningDigestsHandler).sendDue(new Date(Date.now() + DAY_MS + 60_000))).toEqual({
      mails: 1,
    });
    await settled();
    const [, daily] = await smtp.waitForMails({ to: DIGEST }, 2);
    expect(daily!.text).toContain(value);
    expect(smtp.mailsTo({ to: OTHER_DIGEST })).toHaveLength(1); // only the earlier digest
    const dropped = (await context.dataSource.query(
      `SELECT c.address, w.mail_id FROM email_channel_warnings w
         JOIN subscription_email_channels c ON c.id = w.channel_id
        WHERE w.report_id = $1 AND w.status = 'dropped'`,
      [reportIds.green],
    )) as { address: string; mail_id: string | null }[];
    expect(dropped).toEqual([{ address: OTHER_DIGEST, mail_id: null }]);
  });

  it('never put the RED warning in any mail to anyone outside its audience', async () => {
    const outsiders = smtp.received.filter((mail) => mail.to.some((to) => !to.endsWith('@recipient.example')));
    expect(outsiders.length).toBeGreaterThanOrEqual(3); // the other member's immediate mails and its digest
    for (const mail of outsiders) expect(mail.raw).not.toContain(RED_VALUE);
    const plain = smtp.mailsTo({ to: PLAIN });
    for (const mail of plain) expect(mail.raw).not.toContain(RED_VALUE);
  });
});
