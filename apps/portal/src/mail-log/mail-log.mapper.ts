import { MailLogRow, MailStatus } from '@vigia/database';
import { MailLogEntryDto } from './dto/mail-log.dto';

/** A mail of the log; its body only where it is meant to be read here (logged: no SMTP server). */
export const toMailLogEntryDto = (row: MailLogRow): MailLogEntryDto => ({
  id: row.id,
  category: row.category,
  organisation_id: row.organisationId,
  recipient: row.recipient,
  locale: row.locale,
  subject: row.subject,
  body: row.status === MailStatus.Logged ? row.body : null,
  encrypted: row.encrypted,
  status: row.status,
  attempts: row.attempts,
  last_error: row.lastError,
  created_at: row.createdAt.toISOString(),
  finished_at: row.finishedAt?.toISOString() ?? null,
});
