import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '@vigia/auth';
import { UserRole } from '@vigia/database';
import { MailLogPageDto, MailLogQueryDto } from './dto/mail-log.dto';
import { MailLogService } from './mail-log.service';

@ApiTags('mail-log')
@Controller('api/v1/mail-log')
@Authenticated({ roles: [UserRole.Coordinator] })
export class MailLogController {
  constructor(private readonly mailLog: MailLogService) {}

  @Get()
  @ApiOperation({
    summary: 'Every mail Vigia queued, newest first (coordinators)',
    description:
      'Status, attempts and the last error of each. Bodies only of logged mails (no SMTP_URL: development), ' +
      'where this is how mails are read; a sent or failed mail keeps its envelope only.',
  })
  @ApiOkResponse({ type: MailLogPageDto })
  list(@Query() query: MailLogQueryDto): Promise<MailLogPageDto> {
    return this.mailLog.list(query);
  }
}
