import { Injectable } from '@nestjs/common';
import { decodeInstantCursor, encodeInstantCursor } from '@vigia/common';
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
    const rows = await this.mails.list({
      category: query.category,
      status: query.status,
      recipient: query.recipient,
      before: query.cursor === undefined ? undefined : createdAtOf(query.cursor),
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toMailLogEntryDto),
      next_cursor:
        rows.length > limit && last ? encodeInstantCursor({ instant: last.createdAtExact, id: last.id }) : null,
    };
  }
}

const createdAtOf = (cursor: string): { createdAt: string; id: string } => {
  const { instant, id } = decodeInstantCursor(cursor);
  return { createdAt: instant, id };
};
