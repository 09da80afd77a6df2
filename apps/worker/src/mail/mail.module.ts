import { Module } from '@nestjs/common';
import { MailModule } from '@vigia/mail';
import { MailTransport } from './mail-transport';
import { SendMailHandler } from './send-mail.handler';

/** Sends the mails features queue (`send-mail` jobs); the worker's own features compose theirs with `Mailer`. */
@Module({ imports: [MailModule], providers: [MailTransport, SendMailHandler], exports: [MailModule] })
export class WorkerMailModule {}
