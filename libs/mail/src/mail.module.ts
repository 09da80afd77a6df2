import { Module } from '@nestjs/common';
import { Mailer } from './mailer.service';

/** The `Mailer` for features that send mail (repositories and the outbox come from the global modules). */
@Module({ providers: [Mailer], exports: [Mailer] })
export class MailModule {}
