import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Severity } from '@vigia/indicators';
import { DataSource } from 'typeorm';
import { NewAuditEvent } from '../entities/audit-event.rows';
import {
  ConstituencyWarningSettings,
  ConstituencyWarningTarget,
  DEFAULT_CONSTITUENCY_WARNING_SETTINGS,
} from '../entities/constituency-warning.rows';
import { appendAuditEvents } from './audit.repository';
import { SqlExecutor } from './sql-executor';

interface SettingsRecord {
  enabled: boolean;
  min_severity: Severity | null;
  stream: boolean;
  email: boolean;
  webhook: boolean;
  accepts_red: boolean;
  updated_at: Date | null;
}

interface TargetRecord extends SettingsRecord {
  organisation_id: string;
  webhook_endpoint_ids: string[];
}

const toSettings = (record: SettingsRecord): ConstituencyWarningSettings => ({
  enabled: record.enabled,
  minSeverity: record.min_severity,
  channels: { stream: record.stream, email: record.email, webhook: record.webhook },
  acceptsRed: record.accepts_red,
  updatedAt: record.updated_at,
});

async function readSettings(executor: SqlExecutor, organisationId: string): Promise<ConstituencyWarningSettings> {
  const [record] = (await executor.query(
    `SELECT enabled, min_severity, stream, email, webhook, accepts_red, updated_at
       FROM constituency_warning_settings WHERE organisation_id = $1`,
    [organisationId],
  )) as SettingsRecord[];
  return record ? toSettings(record) : DEFAULT_CONSTITUENCY_WARNING_SETTINGS;
}

/** `constituency_warning_settings`: how members want to hear about reports on their own constituency. */
@Injectable()
export class ConstituencyWarningRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The organisation's settings, or the defaults when it never changed them. */
  find(organisationId: string): Promise<ConstituencyWarningSettings> {
    return readSettings(this.dataSource, organisationId);
  }

  /**
   * Stores the organisation's settings and the audit event `auditOf` makes of the change (before, after), in one
   * transaction; answers what is stored.
   */
  async save(
    organisationId: string,
    settings: Omit<ConstituencyWarningSettings, 'updatedAt'>,
    auditOf: (before: ConstituencyWarningSettings, after: ConstituencyWarningSettings) => NewAuditEvent,
  ): Promise<ConstituencyWarningSettings> {
    return this.dataSource.transaction(async (manager) => {
      // The organisation's row is locked so two changes at once are recorded in the order they were made.
      await manager.query(`SELECT id FROM organisations WHERE id = $1 FOR UPDATE`, [organisationId]);
      const before = await readSettings(manager, organisationId);
      await manager.query(
        `INSERT INTO constituency_warning_settings
                (organisation_id, enabled, min_severity, stream, email, webhook, accepts_red)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (organisation_id) DO UPDATE
           SET enabled = EXCLUDED.enabled, min_severity = EXCLUDED.min_severity, stream = EXCLUDED.stream,
               email = EXCLUDED.email, webhook = EXCLUDED.webhook, accepts_red = EXCLUDED.accepts_red,
               updated_at = now()`,
        [
          organisationId,
          settings.enabled,
          settings.minSeverity,
          settings.channels.stream,
          settings.channels.email,
          settings.channels.webhook,
          settings.acceptsRed,
        ],
      );
      const after = await readSettings(manager, organisationId);
      await appendAuditEvents(manager, [auditOf(before, after)]);
      return after;
    });
  }

  /**
   * For these organisations, those that are active with their settings and, when the webhook channel is on, their
   * webhook endpoints: per distinct URL the oldest endpoint that is not disabled, of their active subscriptions.
   */
  async findTargets(organisationIds: readonly string[]): Promise<ConstituencyWarningTarget[]> {
    if (organisationIds.length === 0) return [];
    const records = (await this.dataSource.query(
      `SELECT o.id AS organisation_id,
              coalesce(s.enabled, true) AS enabled, s.min_severity, coalesce(s.stream, true) AS stream,
              coalesce(s.email, true) AS email, coalesce(s.webhook, true) AS webhook,
              coalesce(s.accepts_red, false) AS accepts_red, s.updated_at,
              coalesce((SELECT array_agg(oldest.id ORDER BY oldest.created_at, oldest.id)
                          FROM (SELECT DISTINCT ON (e.url) e.id, e.created_at
                                  FROM webhook_endpoints e
                                  JOIN subscriptions sub ON sub.id = e.subscription_id AND sub.active
                                 WHERE e.organisation_id = o.id AND e.disabled_at IS NULL
                                 ORDER BY e.url, e.created_at, e.id) oldest), '{}') AS webhook_endpoint_ids
         FROM organisations o
         LEFT JOIN constituency_warning_settings s ON s.organisation_id = o.id
        WHERE o.id = ANY($1::uuid[]) AND o.status = 'active'`,
      [organisationIds],
    )) as TargetRecord[];
    return records.map((record) => {
      const settings = toSettings(record);
      return {
        organisationId: record.organisation_id,
        settings,
        webhookEndpointIds: settings.channels.webhook ? record.webhook_endpoint_ids : [],
      };
    });
  }
}
