import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@vigia/config';
import { MailRepository, QueuedMail, SecretSealer } from '@vigia/database';
import { JobName, JobOutbox, mailJobId, outboxJob } from '@vigia/queue';
import { MailLocale, MailTemplate, mailLocaleOf } from './mail-template';

/** Who a mail goes to and what it is about. */
export interface MailEnvelope {
  to: string;
  /** A language tag or list (`es`, `pt-BR`); English when absent or not a network language. */
  locale?: string | null;
  /** The recipient's armored OpenPGP public key, if registered: the body is then encrypted to it. */
  pgpPublicKey?: string | null;
  /** What the mail is about, for the mail log (`application-verification`...). */
  category: string;
  /** The organisation the mail concerns, if any. */
  organisationId?: string | null;
  /** A fixed id, for a mail that must be queued once however often it is composed (a warning to a contact). */
  id?: string;
}

/**
 * Writes mails. A feature `compose`s its mails and hands them to its repository, which queues them in the same
 * transaction as the change they tell about (`appendMails`), then `dispatch`es them after the commit; or, for a mail
 * that goes with no other change, `send`s them. The worker sends each one (`send-mail` job), encrypted to the
 * recipient's key when there is one, or keeps it in the mail log when no SMTP server is configured.
 */
@Injectable()
export class Mailer {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly mails: MailRepository,
    private readonly outbox: JobOutbox,
    private readonly sealer: SecretSealer,
  ) {}

  /**
   * The template rendered in the recipient's language, as a mail ready to queue. Its body is sealed here, the one
   * place every mail is made: it carries one-time links and indicator values, and may stay in the mail log for good.
   */
  compose<Params>(template: MailTemplate<Params>, params: Params, envelope: MailEnvelope): QueuedMail {
    const locale: MailLocale = mailLocaleOf(envelope.locale);
    const { subject, text } = template[locale](params);
    const id = envelope.id ?? randomUUID();
    return {
      mail: {
        id,
        category: envelope.category,
        organisationId: envelope.organisationId ?? null,
        recipient: envelope.to,
        locale,
        subject,
        body: this.sealer.seal(text),
        pgpPublicKey: envelope.pgpPublicKey ?? null,
      },
      job: outboxJob(JobName.SendMail, { mailId: id }, mailJobId(id)),
    };
  }

  /** A link into the portal for a mail: `PUBLIC_URL` followed by `path` (which starts with '/'). */
  link(path: string): string {
    return `${this.config.mail.publicUrl}${path}`;
  }

  /** After the commit that queued `queued`: hands their jobs to the worker now (else the outbox relay does). */
  async dispatch(queued: readonly QueuedMail[]): Promise<void> {
    await this.outbox.dispatch(queued.map((item) => item.job));
  }

  /** Queues and dispatches mails that go with no other change. */
  async send(queued: readonly QueuedMail[]): Promise<void> {
    await this.mails.queue(queued);
    await this.dispatch(queued);
  }
}
