import { Injectable } from '@nestjs/common';
import { instantCursorPage, instantCursorStart } from '@vigia/common';
import { MailRepository } from '@vigia/database';
import { MailLogPageDto, MailLogQueryDto } from './dto/mail-log.dto';
import { toMailLogEntryDto } from './mail-log.mapper';

const DEFAULT_PAGE_SIZE = 50;

/** The mail log, for the network coordinator (the controller allows no one else). */
@Injectable()
export class MailLogService {
  constructor(private readonly mails: MailRepository) {}

  /** Newest first, a keyset page at a time. */
  async list(query: MailLogQueryDto): Promise<MailLogPageDto> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const before = instantCursorStart(query.cursor);
    const rows = await this.mails.list({
      category: query.category,
      status: query.status,
      recipient: query.recipient,
      before: before && { createdAt: before.instant, id: before.id },
      limit: limit + 1,
    });
    return instantCursorPage(rows, limit, toMailLogEntryDto, (row) => row.createdAtExact);
  }
}
