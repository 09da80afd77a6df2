import { Injectable } from '@nestjs/common';
import { validationException } from '@vigia/common';
import { MailLogRow, MailRepository } from '@vigia/database';
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
      before: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toMailLogEntryDto),
      next_cursor: rows.length > limit && last ? encodeCursor(last) : null,
    };
  }
}

const CURSOR =
  /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z) ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

const encodeCursor = (row: MailLogRow): string => Buffer.from(`${row.createdAtExact} ${row.id}`).toString('base64url');

function decodeCursor(text: string): { createdAt: string; id: string } {
  const match = CURSOR.exec(Buffer.from(text, 'base64url').toString('utf8'));
  // A date that only looks like one (month 13, 30 February) would reach PostgreSQL and fail there.
  if (!match || !isRealInstant(match[1]!)) {
    throw validationException([{ path: 'cursor', value: text, reason: 'not a cursor this API returned' }]);
  }
  return { createdAt: match[1]!, id: match[2]! };
}

/** `2025-02-30T…` parses (as 2 March) but is not the instant it names. */
function isRealInstant(exact: string): boolean {
  const parsed = new Date(exact);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 19) === exact.slice(0, 19);
}
