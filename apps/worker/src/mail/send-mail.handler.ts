import { Injectable, Logger } from '@nestjs/common';
import { MailRepository, MailStatus } from '@vigia/database';
import { encryptText, PgpKeyError } from '@vigia/pgp';
import { JobFailureHandler, JobHandler, JobName, SendMailPayload } from '@vigia/queue';
import { Job } from 'bullmq';
import { MailTransport } from './mail-transport';

/** What a send-mail job did, kept as the job's return value. */
export type MailOutcome = 'sent' | 'logged' | 'refused' | 'skipped';

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** nodemailer's `responseCode` (452, 550...) or its error code (ETIMEDOUT, ECONNECTION...), when there is one. */
const smtpCodeOf = (error: unknown): number | string | undefined => {
  const { responseCode, code } = (error ?? {}) as { responseCode?: unknown; code?: unknown };
  if (typeof responseCode === 'number') return responseCode;
  return typeof code === 'string' ? code : undefined;
};

/**
 * Sends one queued mail: encrypted to the recipient's OpenPGP key when it has one (never in clear instead: a key that
 * became unusable fails the mail), over SMTP, or into the mail log when no server is configured. An SMTP failure is
 * thrown so BullMQ retries it with the job defaults; the last one marks the mail failed.
 */
@Injectable()
export class SendMailHandler {
  private readonly logger = new Logger('Mail');

  constructor(
    private readonly mails: MailRepository,
    private readonly transport: MailTransport,
  ) {}

  @JobHandler(JobName.SendMail)
  async send({ mailId }: SendMailPayload, job: Job): Promise<MailOutcome> {
    const mail = await this.mails.findToSend(mailId);
    if (!mail || mail.status !== MailStatus.Queued || mail.body === null) return 'skipped';
    const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);

    let text = mail.body;
    const encrypted = mail.pgpPublicKey !== null;
    try {
      if (mail.pgpPublicKey !== null) text = await encryptText(mail.body, mail.pgpPublicKey);
    } catch (error) {
      if (!(error instanceof PgpKeyError)) return this.failAttempt(mail.id, error, final, job);
      await this.mails.recordFailure(mail.id, `recipient's OpenPGP key is unusable: ${error.reason}`, true);
      this.logger.warn({ mailId, reason: error.reason }, 'mail not sent: the recipient key is unusable');
      return 'refused';
    }

    let sent: boolean;
    try {
      sent = await this.transport.send({
        id: mail.id,
        to: mail.recipient,
        locale: mail.locale,
        subject: mail.subject,
        text,
      });
    } catch (error) {
      return this.failAttempt(mail.id, error, final, job);
    }
    await this.mails.markDone(mail.id, sent ? MailStatus.Sent : MailStatus.Logged, encrypted);
    this.logger.log({ mailId, outcome: sent ? 'sent' : 'logged', encrypted }, 'mail done');
    return sent ? 'sent' : 'logged';
  }

  /**
   * Records a failed attempt (the last one fails the mail) and throws, so BullMQ retries with the job defaults. The
   * server's answer goes to the mail log only: it often names the recipient ("550 <x@y>: no such user"), and nodemailer's
   * errors carry the envelope, so logs and the queue get the mail id and the SMTP code instead.
   */
  private async failAttempt(mailId: string, error: unknown, final: boolean, job: Job): Promise<never> {
    await this.mails.recordFailure(mailId, messageOf(error), final);
    const smtpCode = smtpCodeOf(error);
    this.logger.warn({ mailId, attempt: job.attemptsMade + 1, final, smtpCode }, 'mail not sent');
    throw new Error(`mail ${mailId} not sent${smtpCode === undefined ? '' : ` (SMTP ${smtpCode})`}`);
  }

  /** The job stalled too often (its worker died while sending): the mail is failed, not left queued forever. */
  @JobFailureHandler(JobName.SendMail)
  async failed({ mailId }: SendMailPayload, reason: string): Promise<void> {
    await this.mails.recordFailure(mailId, reason, true);
  }
}
