import { domainToASCII } from 'node:url';
import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@vigia/config';
import { createTransport, Transporter } from 'nodemailer';

const SMTP_TIMEOUTS = { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 };

/**
 * The address with its domain in punycode (`duty@bücher.example` → `duty@xn--bcher-kva.example`): the same mailbox,
 * without the SMTPUTF8 extension that many servers lack and that nodemailer needs for a UTF-8 envelope. Local parts
 * are ASCII already (the portal refuses others).
 */
export function asciiAddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 0) return address;
  const domain = domainToASCII(address.slice(at + 1));
  return domain ? `${address.slice(0, at)}@${domain}` : address;
}

/** A mail as the transport sends it. */
export interface OutgoingMail {
  id: string;
  to: string;
  /** The network language it is written in. */
  locale: string;
  subject: string;
  text: string;
}

/**
 * nodemailer over `SMTP_URL`. Without one there is no transport: `send` answers false and the mail stays in the
 * mail log for the coordinator to read (development). Never logs addresses or bodies.
 */
@Injectable()
export class MailTransport implements OnModuleDestroy {
  private readonly logger = new Logger('Mail');
  private readonly transporter?: Transporter;
  private readonly domain: string;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    const { smtpUrl, from } = config.mail;
    this.domain = /@([^>\s]+)/.exec(from)?.[1] ?? 'vigia.local';
    // nodemailer waits up to 10 minutes on a silent server by default; a mail job should fail and retry sooner.
    if (smtpUrl) this.transporter = createTransport({ url: smtpUrl, ...SMTP_TIMEOUTS }, { from });
    else this.logger.warn('SMTP_URL is not set: mails are kept in the mail log, not sent');
  }

  get configured(): boolean {
    return this.transporter !== undefined;
  }

  /** Sends `mail`; answers false when no SMTP server is configured. Throws what the SMTP server answered. */
  async send(mail: OutgoingMail): Promise<boolean> {
    if (!this.transporter) return false;
    await this.transporter.sendMail({
      to: asciiAddress(mail.to),
      subject: mail.subject,
      text: mail.text,
      headers: { 'Content-Language': mail.locale },
      // The same Message-ID on every attempt: a receiver can tell a retried mail from a new one.
      messageId: `<${mail.id}@${this.domain}>`,
    });
    return true;
  }

  onModuleDestroy(): void {
    this.transporter?.close();
  }
}
