import { NestExpressApplication } from '@nestjs/platform-express';
import { MailEntity, MailStatus } from '@vigia/database';
import { Mailer, MailTemplate } from '@vigia/mail';
import { QueueName } from '@vigia/queue';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { waitFor } from '../../scripts/lib/wait-for';
import { TestSmtpServer } from '../support/smtp-server';
import { bootTestApp } from '../support/test-app';
import { storedMails } from '../support/stored-mails';
import { TestContext, createTestContext } from '../support/test-context';
import { decryptedText, testKeyPair } from '../support/pgp-keys';

const JOB_ATTEMPTS = 3;

/** A template whose every language says which it is, so the test can tell them apart. */
const GREETING: MailTemplate<{ name: string }> = {
  en: ({ name }) => ({ subject: `Hello ${name}`, text: `Hello ${name}, this is Vigia.` }),
  es: ({ name }) => ({ subject: `Hola ${name}`, text: `Hola ${name}, le escribe Vigia.` }),
  pt: ({ name }) => ({ subject: `Olá ${name}`, text: `Olá ${name}, aqui é o Vigia.` }),
  fr: ({ name }) => ({ subject: `Bonjour ${name}`, text: `Bonjour ${name}, ici Vigia.` }),
};

const HOUR_S = 3600;

const keyPair = (options: { date?: Date; keyExpirationTime?: number } = {}) =>
  testKeyPair('duty@csirt.example', options);

/** A worker consuming only the mail queue, as main.ts builds it. */
const bootMailWorker = (context: TestContext): Promise<NestExpressApplication> =>
  bootTestApp(WorkerModule.register(context.config, [], { queues: [QueueName.Mail] }), context.config, {
    name: 'worker',
  });

/** The core of mail on a real SMTP server: composed and queued through Mailer, sent by the worker. */
describe('mail: queued through Mailer, sent over SMTP by the worker', () => {
  let smtp: TestSmtpServer;
  let context: TestContext;
  let worker: NestExpressApplication;
  let mailer: Mailer;

  beforeAll(async () => {
    smtp = await TestSmtpServer.start({ credentials: { user: 'vigia', pass: 's3cret pass' } });
    context = await createTestContext({
      SMTP_URL: smtp.url,
      MAIL_FROM: 'CSIRT Network <alerts@network.example>',
      JOB_ATTEMPTS: String(JOB_ATTEMPTS),
      JOB_BACKOFF_MS: '50',
    });
    worker = await bootMailWorker(context);
    mailer = worker.get(Mailer);
  });

  afterAll(async () => {
    await worker?.close();
    await smtp?.close();
    await context?.cleanup();
  });

  const mailRow = (id: string) => context.dataSource.getRepository(MailEntity).findOneByOrFail({ id });

  const settled = (id: string, status: MailStatus) =>
    waitFor(`mail ${id} ${status}`, async () => {
      const row = await mailRow(id);
      return row.status === status ? row : undefined;
    });

  it('sends in the recipient’s language, from MAIL_FROM, with a Message-ID that names the mail', async () => {
    const queued = mailer.compose(
      GREETING,
      { name: 'Ana' },
      { to: 'Ana@CSIRT.example', locale: 'es-UY,es;q=0.9', category: 'test-greeting' },
    );
    await mailer.send([queued]);

    const received = await smtp.waitForMail({ to: 'ana@csirt.example' });
    expect(received).toMatchObject({
      from: { name: 'CSIRT Network', address: 'alerts@network.example' },
      subject: 'Hola Ana',
      text: 'Hola Ana, le escribe Vigia.\n',
      messageId: `<${queued.mail.id}@network.example>`,
    });
    expect(received.headers.get('content-language')).toBe('es');

    // Sent: the log keeps the envelope only.
    expect(await settled(queued.mail.id, MailStatus.Sent)).toMatchObject({
      category: 'test-greeting',
      locale: 'es',
      subject: 'Hola Ana',
      body: null,
      pgpPublicKey: null,
      encrypted: false,
      attempts: 1,
      lastError: null,
      finishedAt: expect.any(Date),
    });
    // Once: recording the outcome must not count as a failed attempt that sends it again.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(smtp.mailsTo({ to: 'ana@csirt.example' })).toHaveLength(1);
  });

  it('falls back to English for a language the network does not write in', async () => {
    const queued = mailer.compose(GREETING, { name: 'Kai' }, { to: 'kai@csirt.example', locale: 'de', category: 'x' });
    await mailer.send([queued]);
    const received = await smtp.waitForMail({ to: 'kai@csirt.example' });
    expect(received.subject).toBe('Hello Kai');
    expect(received.headers.get('content-language')).toBe('en');
  });

  it('encrypts to the recipient’s OpenPGP key (inline armored) so only its private key reads it', async () => {
    const { publicKey, privateKey } = await keyPair();
    const queued = mailer.compose(
      GREETING,
      { name: 'Rui' },
      { to: 'rui@csirt.example', locale: 'pt', pgpPublicKey: publicKey, category: 'test-greeting' },
    );
    await mailer.send([queued]);

    const received = await smtp.waitForMail({ to: 'rui@csirt.example' });
    expect(received.subject).toBe('Olá Rui'); // subjects go out in clear
    expect(received.text).toMatch(/^-----BEGIN PGP MESSAGE-----/);
    expect(received.raw).not.toContain('aqui é o Vigia');
    expect(await decryptedText(received.text, privateKey)).toBe('Olá Rui, aqui é o Vigia.');
    expect(await settled(queued.mail.id, MailStatus.Sent)).toMatchObject({ encrypted: true, body: null });
  });

  it('retries a mail the SMTP server refuses, then fails it with the server’s reason', async () => {
    smtp.refuse('full@csirt.example', { code: 452, message: 'Mailbox full, try again later' });
    const queued = mailer.compose(GREETING, { name: 'Eva' }, { to: 'full@csirt.example', category: 'test-greeting' });
    await mailer.send([queued]);

    const failed = await settled(queued.mail.id, MailStatus.Failed);
    expect(failed).toMatchObject({
      attempts: JOB_ATTEMPTS,
      lastError: expect.stringMatching(/452.*Mailbox full, try again later/),
      finishedAt: expect.any(Date),
      body: null,
    });
    expect(smtp.attempts.get('full@csirt.example')).toBe(JOB_ATTEMPTS);
    expect(smtp.mailsTo({ to: 'full@csirt.example' })).toEqual([]);
  });

  it('fails, without sending anything, a mail whose recipient key expired after it was registered', async () => {
    // Valid when registered (an hour ago), expired by the time the mail goes out.
    const { publicKey } = await keyPair({ date: new Date(Date.now() - 2 * HOUR_S * 1000), keyExpirationTime: HOUR_S });
    const queued = mailer.compose(
      GREETING,
      { name: 'Leo' },
      { to: 'leo@csirt.example', pgpPublicKey: publicKey, category: 'test-greeting' },
    );
    await mailer.send([queued]);

    const failed = await settled(queued.mail.id, MailStatus.Failed);
    expect(failed.lastError).toMatch(/^recipient's OpenPGP key is unusable: the key expired on \d{4}-/);
    expect(failed).toMatchObject({ attempts: 1, encrypted: false, body: null });
    expect(smtp.attempts.get('leo@csirt.example')).toBeUndefined(); // never reached the SMTP server, not even in clear
  });

  it('fails a mail whose recipient key was replaced by garbage, never sending it in clear', async () => {
    const queued = mailer.compose(
      GREETING,
      { name: 'Max' },
      { to: 'max@csirt.example', pgpPublicKey: 'not a key', category: 'test-greeting' },
    );
    await mailer.send([queued]);
    const failed = await settled(queued.mail.id, MailStatus.Failed);
    expect(failed.lastError).toMatch(/unusable: not an ASCII-armored OpenPGP public key/);
    expect(smtp.attempts.get('max@csirt.example')).toBeUndefined();
  });
});

describe('mail: without SMTP_URL', () => {
  let context: TestContext;
  let worker: NestExpressApplication;

  beforeAll(async () => {
    context = await createTestContext({ SMTP_URL: '' });
    worker = await bootMailWorker(context);
  });

  afterAll(async () => {
    await worker?.close();
    await context?.cleanup();
  });

  it('keeps the mail, body and all, in the mail log as logged', async () => {
    const mailer = worker.get(Mailer);
    const queued = mailer.compose(GREETING, { name: 'Lou' }, { to: 'lou@csirt.example', locale: 'fr', category: 'x' });
    await mailer.send([queued]);
    const logged = await waitFor('the mail logged', async () => {
      const [row] = await storedMails<{ status: MailStatus; subject: string; body: string | null; attempts: number }>(
        context,
        `SELECT status, subject, body, attempts FROM mails WHERE id = $1`,
        [queued.mail.id],
      );
      return row?.status === MailStatus.Logged ? row : undefined;
    });
    expect(logged).toMatchObject({ subject: 'Bonjour Lou', body: 'Bonjour Lou, ici Vigia.', attempts: 1 });
  });
});
