import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MailStatus } from '../entities/mail.entity';
import { MailLogFilter, MailLogRow, MailToSend, QueuedMail } from '../entities/mail.rows';
import { SecretSealer } from '../secret-sealer';
import { recordOutboxJobs } from './outbox.repository';
import { changedCount, SqlExecutor } from './sql-executor';

/**
 * Queues mails in the caller's transaction (`executor` runs inside it): each mail exists, with the job that sends
 * it, exactly when the change it tells about committed. For repositories whose writes send mail. A mail whose id
 * exists is kept as it is (a fixed id queues a mail once: a warning's mail when its fan-out runs again). Bodies come
 * sealed from `Mailer.compose`; the repository's reads open them.
 */
export async function appendMails(executor: SqlExecutor, queued: readonly QueuedMail[]): Promise<void> {
  if (queued.length === 0) return;
  const mails = queued.map((item) => item.mail);
  await executor.query(
    `INSERT INTO mails (id, category, organisation_id, recipient, locale, subject, body, pgp_public_key)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[],
                          $8::text[])
     ON CONFLICT (id) DO NOTHING`,
    [
      mails.map((mail) => mail.id),
      mails.map((mail) => mail.category),
      mails.map((mail) => mail.organisationId),
      mails.map((mail) => mail.recipient),
      mails.map((mail) => mail.locale),
      mails.map((mail) => mail.subject),
      mails.map((mail) => mail.body),
      mails.map((mail) => mail.pgpPublicKey),
    ],
  );
  await recordOutboxJobs(
    executor,
    queued.map((item) => item.job),
  );
}

/**
 * Fails the organisation's mails of these categories still queued, in the caller's transaction (its suspension):
 * nothing shared reaches a suspended member. Like any failed mail it keeps only its envelope (a body meant to go out
 * encrypted must not stay in clear). Answers how many.
 */
export async function failQueuedMailsOf(
  executor: SqlExecutor,
  organisationId: string,
  categories: readonly string[],
  reason: string,
): Promise<number> {
  const result = await executor.query(
    `UPDATE mails SET status = 'failed', finished_at = now(), last_error = $3, body = NULL, pgp_public_key = NULL
      WHERE organisation_id = $1 AND status = 'queued' AND category = ANY($2::text[])`,
    [organisationId, categories, reason],
  );
  return changedCount(result);
}

interface MailLogRecord {
  id: string;
  category: string;
  organisation_id: string | null;
  recipient: string;
  locale: string;
  subject: string;
  body: string | null;
  encrypted: boolean;
  status: MailStatus;
  attempts: number;
  last_error: string | null;
  created_at: Date;
  finished_at: Date | null;
  created_at_exact: string;
}

const toMailLogRow = (record: MailLogRecord, body: string | null): MailLogRow => ({
  id: record.id,
  category: record.category,
  organisationId: record.organisation_id,
  recipient: record.recipient,
  locale: record.locale,
  subject: record.subject,
  body,
  encrypted: record.encrypted,
  status: record.status,
  attempts: record.attempts,
  lastError: record.last_error,
  createdAt: record.created_at,
  finishedAt: record.finished_at,
  createdAtExact: record.created_at_exact,
});

/** `mails`: the mail log, and the worker's side of sending. Bodies are stored sealed and opened as they are read. */
@Injectable()
export class MailRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sealer: SecretSealer,
  ) {}

  private open(body: string | null): string | null {
    return body === null ? null : this.sealer.open(body);
  }

  /** Queues mails that go with no other change (their own transaction). */
  async queue(queued: readonly QueuedMail[]): Promise<void> {
    await this.dataSource.transaction((manager) => appendMails(manager, queued));
  }

  async findToSend(id: string): Promise<MailToSend | null> {
    const [row] = (await this.dataSource.query(
      `SELECT id, recipient, locale, subject, body, pgp_public_key AS "pgpPublicKey", status, attempts
         FROM mails WHERE id = $1`,
      [id],
    )) as MailToSend[];
    return row ? { ...row, body: this.open(row.body) } : null;
  }

  /**
   * The mail went out (`sent`: only its envelope is kept) or was kept in the log (`logged`: no SMTP server). Only a
   * queued mail moves on, so a second run of the same job changes nothing; answers whether this call moved it.
   */
  async markDone(id: string, status: MailStatus.Sent | MailStatus.Logged, encrypted: boolean): Promise<boolean> {
    const result = await this.dataSource.query(
      `UPDATE mails
          SET status = $2::mail_status, encrypted = $3, attempts = attempts + 1, finished_at = now(),
              last_error = NULL, body = CASE WHEN $2::mail_status = 'sent' THEN NULL ELSE body END,
              pgp_public_key = NULL
        WHERE id = $1 AND status = 'queued'`,
      [id, status, encrypted],
    );
    return changedCount(result) > 0;
  }

  /**
   * An attempt failed; `final` when no retry follows: the mail is then failed for good, and like a sent mail keeps
   * only its envelope (a body meant to go out encrypted must not stay in clear).
   */
  async recordFailure(id: string, error: string, final: boolean): Promise<void> {
    await this.dataSource.query(
      `UPDATE mails
          SET attempts = attempts + 1, last_error = left($2, 500),
              status = CASE WHEN $3 THEN 'failed'::mail_status ELSE status END,
              finished_at = CASE WHEN $3 THEN now() ELSE finished_at END,
              body = CASE WHEN $3 THEN NULL ELSE body END,
              pgp_public_key = CASE WHEN $3 THEN NULL ELSE pgp_public_key END
        WHERE id = $1 AND status = 'queued'`,
      [id, error, final],
    );
  }

  /** The mail log, newest first. */
  async list(filter: MailLogFilter): Promise<MailLogRow[]> {
    const conditions: string[] = [];
    const parameters: unknown[] = [];
    const add = (condition: (placeholder: string) => string, value: unknown): void => {
      parameters.push(value);
      conditions.push(condition(`$${parameters.length}`));
    };
    if (filter.category !== undefined) add((p) => `category = ${p}`, filter.category);
    if (filter.status !== undefined) add((p) => `status = ${p}::mail_status`, filter.status);
    if (filter.recipient !== undefined) add((p) => `lower(recipient) = lower(${p})`, filter.recipient);
    if (filter.before !== undefined) {
      parameters.push(filter.before.createdAt, filter.before.id);
      conditions.push(`(created_at, id) < ($${parameters.length - 1}::timestamptz, $${parameters.length}::uuid)`);
    }
    parameters.push(filter.limit);
    const records = (await this.dataSource.query(
      `SELECT id, category, organisation_id, recipient, locale, subject, body, encrypted, status, attempts, last_error,
              created_at, finished_at,
              to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at_exact
         FROM mails ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
        ORDER BY created_at DESC, id DESC
        LIMIT $${parameters.length}`,
      parameters,
    )) as MailLogRecord[];
    return records.map((record) => toMailLogRow(record, this.open(record.body)));
  }

  /**
   * Re-wraps every kept mail body's data key with the first DATA_ENCRYPTION_KEY (key rotation), the bodies never
   * decrypted to disk. Answers how many rows changed.
   */
  async rewrapBodies(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows = (await manager.query(`SELECT id, body FROM mails WHERE body IS NOT NULL FOR UPDATE`)) as {
        id: string;
        body: string;
      }[];
      let changed = 0;
      for (const row of rows) {
        const body = this.sealer.rewrap(row.body);
        if (body === row.body) continue;
        await manager.query(`UPDATE mails SET body = $2 WHERE id = $1`, [row.id, body]);
        changed += 1;
      }
      return changed;
    });
  }
}
