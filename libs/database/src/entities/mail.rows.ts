import { MailStatus } from './mail.entity';
import { OutboxJob } from './outbox-job.entity';

/** A mail to queue: its row and the outbox job that sends it (built by `Mailer.compose` in libs/mail). */
export interface QueuedMail {
  mail: NewMail;
  job: OutboxJob;
}

export interface NewMail {
  id: string;
  category: string;
  organisationId: string | null;
  recipient: string;
  locale: string;
  subject: string;
  /** Sealed (SecretSealer, DATA_ENCRYPTION_KEY) by `Mailer.compose`: never stored in clear. */
  body: string;
  pgpPublicKey: string | null;
}

/** What the worker needs to send a mail. */
export interface MailToSend {
  id: string;
  recipient: string;
  /** The network language it is written in (sent as `Content-Language`). */
  locale: string;
  subject: string;
  body: string | null;
  pgpPublicKey: string | null;
  status: MailStatus;
  attempts: number;
}

/** One line of the mail log. `body` is null once the mail went out over SMTP or failed for good. */
export interface MailLogRow {
  id: string;
  category: string;
  organisationId: string | null;
  recipient: string;
  locale: string;
  subject: string;
  body: string | null;
  encrypted: boolean;
  status: MailStatus;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  finishedAt: Date | null;
  /** `created_at` to the microsecond (ISO 8601, UTC): a Date keeps milliseconds only, too coarse for a keyset. */
  createdAtExact: string;
}

export interface MailLogFilter {
  category?: string;
  status?: MailStatus;
  recipient?: string;
  /** Keyset: only mails older than this one (created_at, id); pass `createdAtExact` of the last row seen. */
  before?: { createdAt: Date | string; id: string };
  limit: number;
}
