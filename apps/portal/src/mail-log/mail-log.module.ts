import { Module } from '@nestjs/common';
import { AuthModule } from '@vigia/auth';
import { MailLogController } from './mail-log.controller';
import { MailLogService } from './mail-log.service';

/** Reading the mail log. */
@Module({
  imports: [AuthModule],
  controllers: [MailLogController],
  providers: [MailLogService],
})
export class MailLogModule {}
