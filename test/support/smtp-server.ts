import { AddressInfo } from 'node:net';
import { ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, SMTPServerAddress } from 'smtp-server';
import { waitFor } from '../../scripts/lib/wait-for';

/** One mail as the server received it: the envelope, and the message as mailparser reads it. */
export interface ReceivedMail {
  /** RCPT TO addresses, lower-case. */
  to: string[];
  /** The From header, read. */
  from: { name: string; address: string };
  subject: string;
  text: string;
  messageId: string | undefined;
  /** Every header, lower-case names (`content-language`...). */
  headers: ParsedMail['headers'];
  raw: string;
}

/** An SMTP answer that refuses: `code` 4xx (try later) or 5xx (permanent). */
export interface SmtpRefusal {
  code: number;
  message: string;
}

export interface TestSmtpServerOptions {
  /** Require AUTH with this user and password (otherwise authentication is optional and anyone may send). */
  credentials?: { user: string; pass: string };
}

/** What a recipient filter in `waitForMails` matches. */
export interface MailMatch {
  to?: string;
  subject?: string | RegExp;
}

/**
 * A real SMTP server on 127.0.0.1 at a free port, for mail tests: no STARTTLS, AUTH optional unless credentials are
 * given. Keeps every accepted mail parsed; can refuse chosen recipients, counting how often each was tried.
 */
export class TestSmtpServer {
  readonly received: ReceivedMail[] = [];
  /** RCPT TO attempts per address (lower-case), refused or not. */
  readonly attempts = new Map<string, number>();
  private readonly refusals = new Map<string, SmtpRefusal>();

  private constructor(
    private readonly server: SMTPServer,
    private readonly credentials?: { user: string; pass: string },
  ) {}

  static async start(options: TestSmtpServerOptions = {}): Promise<TestSmtpServer> {
    // The server's callbacks need the instance, which needs the server.
    const self: { instance?: TestSmtpServer } = {};
    const server = new SMTPServer({
      disabledCommands: options.credentials ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
      authOptional: !options.credentials,
      allowInsecureAuth: true,
      logger: false,
      // Tests close the server while the worker's connections may linger; do not wait the default 30 s for them.
      closeTimeout: 500,
      onAuth(auth, _session, callback) {
        const expected = options.credentials;
        if (expected && auth.username === expected.user && auth.password === expected.pass) {
          callback(null, { user: auth.username });
        } else callback(new Error('Invalid username or password'));
      },
      onRcptTo(address: SMTPServerAddress, _session, callback) {
        callback(self.instance!.refusalFor(address.address));
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          simpleParser(raw)
            .then((parsed) => {
              self.instance!.received.push({
                to: session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase()),
                from: { name: parsed.from?.value[0]?.name ?? '', address: parsed.from?.value[0]?.address ?? '' },
                subject: parsed.subject ?? '',
                text: parsed.text ?? '',
                messageId: parsed.messageId,
                headers: parsed.headers,
                raw,
              });
              callback();
            })
            .catch((error: Error) => callback(error));
        });
      },
    });
    const instance = new TestSmtpServer(server, options.credentials);
    self.instance = instance;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return instance;
  }

  get port(): number {
    return (this.server.server.address() as AddressInfo).port;
  }

  /** `SMTP_URL` for this server (with the credentials when it requires them). */
  get url(): string {
    const auth = this.credentials
      ? `${encodeURIComponent(this.credentials.user)}:${encodeURIComponent(this.credentials.pass)}@`
      : '';
    return `smtp://${auth}127.0.0.1:${this.port}`;
  }

  /** Refuse every mail to `address` at RCPT TO with this answer (e.g. 550 mailbox unavailable). */
  refuse(address: string, refusal: SmtpRefusal): void {
    this.refusals.set(address.toLowerCase(), refusal);
  }

  /** Mails received so far that match. */
  mailsTo(match: MailMatch): ReceivedMail[] {
    return this.received.filter((mail) => matches(mail, match));
  }

  /** Waits until `count` matching mails arrived (fails after the timeout), and answers them. */
  async waitForMails(match: MailMatch, count = 1, timeoutMs = 20_000): Promise<ReceivedMail[]> {
    return waitFor(
      `${count} mail(s) ${JSON.stringify({ ...match, subject: match.subject?.toString() })}`,
      async () => {
        const found = this.mailsTo(match);
        return found.length >= count ? found : undefined;
      },
      { timeoutMs },
    );
  }

  async waitForMail(match: MailMatch, timeoutMs?: number): Promise<ReceivedMail> {
    const [mail] = await this.waitForMails(match, 1, timeoutMs);
    return mail!;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private refusalFor(address: string): Error | undefined {
    const key = address.toLowerCase();
    this.attempts.set(key, (this.attempts.get(key) ?? 0) + 1);
    const refusal = this.refusals.get(key);
    if (!refusal) return undefined;
    return Object.assign(new Error(refusal.message), { responseCode: refusal.code });
  }
}

function matches(mail: ReceivedMail, { to, subject }: MailMatch): boolean {
  if (to !== undefined && !mail.to.includes(to.toLowerCase())) return false;
  if (subject === undefined) return true;
  return typeof subject === 'string' ? mail.subject === subject : subject.test(mail.subject);
}
