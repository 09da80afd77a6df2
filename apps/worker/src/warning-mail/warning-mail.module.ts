import { Module } from '@nestjs/common';
import { MailModule } from '@vigia/mail';
import { SendWarningDigestsHandler } from './send-warning-digests.handler';
import { WarningMailScheduler } from './warning-mail.scheduler';

/** Early warnings by e-mail: immediate mails from the fan-out, and the periodic digests. */
@Module({
  imports: [MailModule],
  providers: [WarningMailScheduler, SendWarningDigestsHandler],
  exports: [WarningMailScheduler],
})
export class WarningMailModule {}
