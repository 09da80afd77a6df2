import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryFailedError } from 'typeorm';
import { IncidentReportEntity } from '../entities/incident-report.entity';
import {
  DailySubmissionRow,
  NewReport,
  OwnReportRow,
  OwnReportsQuery,
  ReportPartsWriter,
  SourceReport,
  StreamedReportTotals,
} from '../entities/incident-report.rows';
import { OutboxJob } from '../entities/outbox-job.entity';
import { insertOutboxJobsSql, outboxJobParameters, recordOutboxJobs } from './outbox.repository';
import { SqlExecutor, changedCount, placeholders } from './sql-executor';

const UNIQUE_VIOLATION = '23505';

// `enqueued_at` is set optimistically with the insert, as the outbox row's `relayed_at` is, sparing every submission a
// second write; when the normalisation job does not reach Redis after the commit, the outbox clears both.
const REPORT_COLUMNS = `id, organisation_id, source_format, title, description, rsit_classification, rsit_type, severity,
  tlp, tlp_recipients, first_seen, last_seen, sector_tags, country_tags, idempotency_key, indicator_count, skipped,
  skipped_count, enqueued_at`;

const reportParameters = (report: NewReport): unknown[] => [
  report.id,
  report.organisationId,
  report.format,
  report.title,
  report.description,
  report.classification,
  report.type,
  report.severity,
  report.tlp,
  report.tlpRecipients,
  report.firstSeen,
  report.lastSeen,
  report.sectors,
  report.countries,
  report.idempotencyKey,
  report.indicatorCount,
  JSON.stringify(report.skipped),
  report.skippedCount,
];

/** The insert of a report row; its values are `reportParameters`, `enqueued_at` is now. */
const insertReportSql = (values: unknown[]): string =>
  `INSERT INTO incident_reports (${REPORT_COLUMNS}) VALUES (${placeholders(values)}, now())`;

interface OwnReportRecord {
  id: string;
  title: string;
  status: OwnReportRow['status'];
  source_format: OwnReportRow['format'];
  tlp: string;
  severity: string;
  indicator_count: number;
  skipped_count: number;
  received_at: Date;
  received_at_exact: string;
  normalised_at: Date | null;
}

interface SourceReportRecord {
  id: string;
  organisation_id: string;
  title: string;
  rsit_classification: string;
  rsit_type: string | null;
  severity: string;
  tlp: string;
  tlp_recipients: string[];
  country_tags: string[];
  sector_tags: string[];
  reporter_name: string;
}

/** `incident_reports` with their raw payloads and received indicators, as ingest writes and everyone reads them. */
@Injectable()
export class ReportRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * A report read whole: report, payload, indicator batches and the jobs that follow it, in one statement
   * (data-modifying CTEs), so it is atomic and one round trip.
   */
  async insertWhole(
    report: NewReport,
    payload: { contentType: string; data: Buffer; sha256: string },
    indicatorBatchesJson: string,
    jobs: readonly OutboxJob[],
  ): Promise<void> {
    const values = reportParameters(report);
    const n = values.length;
    await this.dataSource.query(
      `WITH report AS (
         ${insertReportSql(values)} RETURNING id
       ), payload AS (
         INSERT INTO report_payloads (report_id, content_type, size_bytes, sha256)
         SELECT id, $${n + 1}, $${n + 2}, $${n + 3} FROM report
       ), chunk AS (
         INSERT INTO report_payload_chunks (report_id, seq, data) SELECT id, 0, $${n + 4} FROM report
       ), jobs AS (${insertOutboxJobsSql(n + 6)})
       INSERT INTO report_indicator_batches (report_id, seq, indicator_count, indicators)
       SELECT report.id, b.seq - 1, json_array_length(b.indicators), b.indicators
         FROM report, json_array_elements($${n + 5}::json) WITH ORDINALITY AS b(indicators, seq)`,
      [
        ...values,
        payload.contentType,
        payload.data.length,
        payload.sha256,
        payload.data,
        indicatorBatchesJson,
        ...outboxJobParameters(jobs),
      ],
    );
  }

  /**
   * A streamed report, written part by part inside one transaction (`fill` writes the parts and answers the
   * totals), with the jobs that follow it; a failure anywhere leaves nothing.
   */
  async insertStreamed(
    report: NewReport,
    contentType: string,
    jobs: readonly OutboxJob[],
    fill: (writer: ReportPartsWriter) => Promise<StreamedReportTotals>,
  ): Promise<StreamedReportTotals> {
    return this.dataSource.transaction(async (manager) => {
      const values = reportParameters(report);
      await manager.query(insertReportSql(values), values);
      await manager.query(`INSERT INTO report_payloads (report_id, content_type) VALUES ($1, $2)`, [
        report.id,
        contentType,
      ]);
      const totals = await fill(partsWriter(manager, report.id));
      await manager.query(`UPDATE report_payloads SET size_bytes = $2, sha256 = $3 WHERE report_id = $1`, [
        report.id,
        totals.payloadBytes,
        totals.sha256,
      ]);
      await manager.query(
        `UPDATE incident_reports SET indicator_count = $2, skipped = $3, skipped_count = $4 WHERE id = $1`,
        [report.id, totals.indicatorCount, JSON.stringify(totals.skipped), totals.skippedCount],
      );
      await recordOutboxJobs(manager, jobs);
      return totals;
    });
  }

  /** The organisation's report submitted with this Idempotency-Key, with its payload's digest. */
  async findByIdempotencyKey(
    organisationId: string,
    key: string,
  ): Promise<{ id: string; sha256: string | null } | undefined> {
    const rows = (await this.dataSource.query(
      `SELECT r.id, p.sha256 FROM incident_reports r LEFT JOIN report_payloads p ON p.report_id = r.id
        WHERE r.organisation_id = $1 AND r.idempotency_key = $2`,
      [organisationId, key],
    )) as { id: string; sha256: string | null }[];
    return rows[0];
  }

  /** The report if the organisation submitted it; undefined for another organisation's, as for a missing one. */
  async findOwned(organisationId: string, id: string): Promise<IncidentReportEntity | null> {
    return this.dataSource.getRepository(IncidentReportEntity).findOne({ where: { id, organisationId } });
  }

  /**
   * The organisation's own reports, newest first, a keyset page at a time (index on organisation, received_at, id):
   * only the organisation's, whatever the status filter.
   */
  async listOwned(query: OwnReportsQuery): Promise<OwnReportRow[]> {
    const records = (await this.dataSource.query(
      `SELECT id, title, status, source_format, tlp, severity, indicator_count,
              jsonb_array_length(skipped)::int AS skipped_count, received_at, normalised_at,
              to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS received_at_exact
         FROM incident_reports
        WHERE organisation_id = $1
          AND ($2::report_status IS NULL OR status = $2)
          AND ($3::timestamptz IS NULL OR (received_at, id) < ($3::timestamptz, $4::uuid))
        ORDER BY received_at DESC, id DESC
        LIMIT $5`,
      [
        query.organisationId,
        query.status ?? null,
        query.before?.receivedAt ?? null,
        query.before?.id ?? null,
        query.limit,
      ],
    )) as OwnReportRecord[];
    return records.map(toOwnReportRow);
  }

  /** Records why a report could not be normalised; a report already normalised stays so (answers false). */
  async markFailed(reportId: string, reason: string): Promise<boolean> {
    const result = await this.dataSource.query(
      `UPDATE incident_reports SET status = 'failed', failure_reason = $2, updated_at = now()
        WHERE id = $1 AND status <> 'normalised'`,
      [reportId, reason],
    );
    return changedCount(result) > 0;
  }

  /** The report a fan-out warns about, with its reporter's name. */
  async findSource(reportId: string): Promise<SourceReport | undefined> {
    const rows = (await this.dataSource.query(
      `SELECT r.id, r.organisation_id, r.title, r.rsit_classification, r.rsit_type, r.severity, r.tlp,
              r.tlp_recipients::text[] AS tlp_recipients, r.country_tags, r.sector_tags, o.name AS reporter_name
         FROM incident_reports r JOIN organisations o ON o.id = r.organisation_id
        WHERE r.id = $1`,
      [reportId],
    )) as SourceReportRecord[];
    const row = rows[0];
    return row && toSourceReport(row);
  }

  /**
   * Reports received and the indicators they held, per organisation and UTC day, since `since`: counts only, for the
   * coordinator's network health (no report content, whatever its level).
   */
  async dailySubmissions(since: Date): Promise<DailySubmissionRow[]> {
    const rows = (await this.dataSource.query(
      `SELECT to_char(r.received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, r.organisation_id, o.name,
              count(*)::int AS reports, COALESCE(sum(r.indicator_count), 0)::int AS indicators
         FROM incident_reports r
         JOIN organisations o ON o.id = r.organisation_id
        WHERE r.received_at >= $1
        GROUP BY 1, r.organisation_id, o.name
        ORDER BY 1, o.name`,
      [since],
    )) as { day: string; organisation_id: string; name: string; reports: number; indicators: number }[];
    return rows.map((row) => ({
      day: row.day,
      organisationId: row.organisation_id,
      organisationName: row.name,
      reports: row.reports,
      indicators: row.indicators,
    }));
  }
}

/** True when `error` is the insert of a second report with the same Idempotency-Key (or any unique key). */
export const isUniqueViolation = (error: unknown): boolean =>
  error instanceof QueryFailedError && (error.driverError as { code?: string }).code === UNIQUE_VIOLATION;

const partsWriter = (executor: SqlExecutor, reportId: string): ReportPartsWriter => ({
  async addPayloadChunk(seq, data) {
    await executor.query(`INSERT INTO report_payload_chunks (report_id, seq, data) VALUES ($1, $2, $3)`, [
      reportId,
      seq,
      data,
    ]);
  },
  async addIndicatorBatch(seq, count, indicatorsJson) {
    await executor.query(
      `INSERT INTO report_indicator_batches (report_id, seq, indicator_count, indicators) VALUES ($1, $2, $3, $4)`,
      [reportId, seq, count, indicatorsJson],
    );
  },
});

const toOwnReportRow = (record: OwnReportRecord): OwnReportRow => ({
  id: record.id,
  title: record.title,
  status: record.status,
  format: record.source_format,
  tlp: record.tlp,
  severity: record.severity,
  indicatorCount: record.indicator_count,
  skippedCount: record.skipped_count,
  receivedAt: record.received_at,
  receivedAtExact: record.received_at_exact,
  normalisedAt: record.normalised_at,
});

const toSourceReport = (row: SourceReportRecord): SourceReport => ({
  id: row.id,
  organisationId: row.organisation_id,
  title: row.title,
  classification: row.rsit_classification,
  rsitType: row.rsit_type,
  severity: row.severity,
  tlp: row.tlp,
  tlpRecipients: row.tlp_recipients,
  countries: row.country_tags,
  sectors: row.sector_tags,
  reporterName: row.reporter_name,
});
