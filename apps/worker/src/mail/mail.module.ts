import { Module } from '@nestjs/common';
import { MailTransport } from './mail-transport';
import { SendMailHandler } from './send-mail.handler';

/** Sends the mails features queue (`send-mail` jobs). */
@Module({ providers: [MailTransport, SendMailHandler] })
export class WorkerMailModule {}
