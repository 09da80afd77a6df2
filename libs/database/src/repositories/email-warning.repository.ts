import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EmailChannelMode, EmailWarningStatus } from '../entities/email-channel.entity';
import {
  DigestEmailWarning,
  DigestOutcome,
  DueDigest,
  EmailWarningScope,
  ImmediateEmailWarning,
} from '../entities/email-channel.rows';
import { QueuedMail } from '../entities/mail.rows';
import { appendMails } from './mail.repository';
import { SqlExecutor } from './sql-executor';

interface DueRecord {
  id: string;
  warning_id: string;
  content: object;
  tlp: string;
  audience_owner: string;
  tlp_recipients: string[];
  channel_id: string;
  address: string;
  locale: string;
  mode: EmailChannelMode;
  pgp_public_key: string | null;
  subscription_id: string;
  subscription_name: string;
  organisation_id: string;
  organisation_active: boolean;
  subscription_active: boolean;
  accepts_red: boolean;
}

/** Inserts (channel, warning) rows not recorded before; answers the keys `channel_id warning_id` it inserted. */
async function insertNew(
  executor: SqlExecutor,
  rows: readonly (EmailWarningScope & { channelId: string; warningId: string; reportId: string })[],
  columns: { status: EmailWarningStatus; mailIds?: string[]; contents?: object[]; dueAts?: Date[] },
): Promise<Set<string>> {
  const inserted = (await executor.query(
    `INSERT INTO email_channel_warnings
            (channel_id, warning_id, report_id, tlp, audience_owner, tlp_recipients, status, mail_id, content, due_at)
     SELECT c.id, u.warning_id, u.report_id, u.tlp, u.audience_owner,
            ARRAY(SELECT jsonb_array_elements_text(u.recipients))::uuid[], $7::email_warning_status,
            u.mail_id, u.content, u.due_at
       FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::uuid[], $6::jsonb[], $8::uuid[], $9::jsonb[],
                   $10::timestamptz[])
            AS u(channel_id, warning_id, report_id, tlp, audience_owner, recipients, mail_id, content, due_at)
       JOIN subscription_email_channels c ON c.id = u.channel_id
     ON CONFLICT (channel_id, warning_id) DO NOTHING
     RETURNING channel_id, warning_id`,
    [
      rows.map((row) => row.channelId),
      rows.map((row) => row.warningId),
      rows.map((row) => row.reportId),
      rows.map((row) => row.tlp),
      rows.map((row) => row.audienceOwner),
      rows.map((row) => JSON.stringify(row.tlpRecipients)),
      columns.status,
      columns.mailIds ?? rows.map(() => null),
      columns.contents?.map((content) => JSON.stringify(content)) ?? rows.map(() => null),
      columns.dueAts ?? rows.map(() => null),
    ],
  )) as { channel_id: string; warning_id: string }[];
  return new Set(inserted.map((row) => `${row.channel_id} ${row.warning_id}`));
}

/**
 * `email_channel_warnings`: which warning went (or will go) to which e-mail channel. Unique per (channel, warning):
 * recording the same warning again (a re-run fan-out) adds nothing and queues no second mail.
 */
@Injectable()
export class EmailWarningRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Records warnings for immediate channels and, in the same transaction, queues the mail of each warning that was
   * not recorded before. Warnings of channels deleted meanwhile are skipped. Answers the mails queued (to dispatch).
   */
  async recordImmediate(warnings: readonly ImmediateEmailWarning[]): Promise<QueuedMail[]> {
    if (warnings.length === 0) return [];
    return this.dataSource.transaction(async (manager) => {
      const inserted = await insertNew(manager, warnings, {
        status: EmailWarningStatus.Mailed,
        mailIds: warnings.map((warning) => warning.mail.mail.id),
      });
      const queued = warnings
        .filter((warning) => inserted.has(`${warning.channelId} ${warning.warningId}`))
        .map((warning) => warning.mail);
      await appendMails(manager, queued);
      return queued;
    });
  }

  /** Records warnings for digest channels, pending until their period ends; answers how many were new. */
  async recordForDigest(warnings: readonly DigestEmailWarning[]): Promise<number> {
    if (warnings.length === 0) return 0;
    const inserted = await insertNew(this.dataSource, warnings, {
      status: EmailWarningStatus.Pending,
      contents: warnings.map((warning) => warning.content),
      dueAts: warnings.map((warning) => warning.dueAt),
    });
    return inserted.size;
  }

  /**
   * Takes pending warnings due by `now` (at most `limit`, oldest first, locked so that concurrent runs take different
   * ones), hands each channel's to `decide`, and in one transaction queues the mails it makes and marks the warnings
   * mailed or dropped (their content is then cleared). Answers the mails queued (to dispatch) and how many warnings
   * were taken (fewer than `limit`: nothing more is due).
   */
  async takeDueDigests(
    now: Date,
    limit: number,
    decide: (due: DueDigest) => DigestOutcome,
  ): Promise<{ mails: QueuedMail[]; taken: number }> {
    return this.dataSource.transaction(async (manager) => {
      const records = (await manager.query(
        `SELECT w.id, w.warning_id, w.content, w.tlp, w.audience_owner, w.tlp_recipients::text[] AS tlp_recipients,
                c.id AS channel_id, c.address, c.locale, c.mode, c.pgp_public_key, c.subscription_id,
                s.name AS subscription_name, c.organisation_id, o.status = 'active' AS organisation_active,
                s.active AS subscription_active, s.accepts_red
           FROM email_channel_warnings w
           JOIN subscription_email_channels c ON c.id = w.channel_id
           JOIN subscriptions s ON s.id = c.subscription_id
           JOIN organisations o ON o.id = c.organisation_id
          WHERE w.status = 'pending' AND w.due_at <= $1
          ORDER BY w.channel_id, w.created_at, w.id
          LIMIT $2
            FOR UPDATE OF w SKIP LOCKED`,
        [now, limit],
      )) as DueRecord[];
      const outcomes = groupByChannel(records).map(decide);
      const queued = outcomes.flatMap((outcome) => (outcome.mail ? [outcome.mail] : []));
      await appendMails(manager, queued);
      const mailed = outcomes.flatMap((outcome) => outcome.mailed.map((id) => [id, outcome.mail?.mail.id ?? null]));
      const dropped = outcomes.flatMap((outcome) => outcome.dropped);
      if (mailed.length > 0) {
        await manager.query(
          `UPDATE email_channel_warnings w SET status = 'mailed', mail_id = u.mail_id, content = NULL
             FROM unnest($1::uuid[], $2::uuid[]) AS u(id, mail_id)
            WHERE w.id = u.id`,
          [mailed.map(([id]) => id), mailed.map(([, mailId]) => mailId)],
        );
      }
      if (dropped.length > 0) {
        await manager.query(
          `UPDATE email_channel_warnings SET status = 'dropped', content = NULL WHERE id = ANY($1::uuid[])`,
          [dropped],
        );
      }
      return { mails: queued, taken: records.length };
    });
  }
}

function groupByChannel(records: readonly DueRecord[]): DueDigest[] {
  const byChannel = new Map<string, DueDigest>();
  for (const record of records) {
    let due = byChannel.get(record.channel_id);
    if (!due) {
      due = {
        channel: {
          id: record.channel_id,
          address: record.address,
          locale: record.locale,
          mode: record.mode,
          pgpPublicKey: record.pgp_public_key,
          subscriptionId: record.subscription_id,
          subscriptionName: record.subscription_name,
          organisationId: record.organisation_id,
        },
        organisationActive: record.organisation_active,
        subscriptionActive: record.subscription_active,
        acceptsRed: record.accepts_red,
        warnings: [],
      };
      byChannel.set(record.channel_id, due);
    }
    due.warnings.push({
      id: record.id,
      warningId: record.warning_id,
      content: record.content,
      scope: { tlp: record.tlp, audienceOwner: record.audience_owner, tlpRecipients: record.tlp_recipients },
    });
  }
  return [...byChannel.values()];
}
