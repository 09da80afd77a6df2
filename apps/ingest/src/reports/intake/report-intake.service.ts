import { createHash, randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { OrganisationPrincipal } from '@vigia/auth';
import { ErrorCode, ProblemDetail, VigiaException, validationException } from '@vigia/common';
import { IncidentReportEntity, SkippedItem } from '@vigia/database';
import { DataSource, QueryFailedError } from 'typeorm';
import {
  IndicatorRow,
  MAX_LISTED_SKIPPED,
  ReportAccepted,
  ReportHeader,
  ReportSink,
  statusUrlOf,
} from './report-draft';
import { ReportEnqueuer } from './report-enqueuer.service';
import { ReportWriter, indicatorBatchesJson } from './report-writer';

const UNIQUE_VIOLATION = '23505';

/** Streams a report's payload, indicators and skipped items into a sink; may throw to refuse the report. */
export type ReportFiller = (sink: ReportSink) => Promise<void>;

/** A submission read whole (JSON, STIX, MISP) or one to stream (CSV). */
export type SubmissionContent =
  { payload: Buffer; rows: IndicatorRow[]; skipped: SkippedItem[] } | { fill: ReportFiller };

export interface Submission {
  header: ReportHeader;
  contentType: string;
  idempotencyKey?: string;
  content: SubmissionContent;
}

// `enqueued_at` is set optimistically with the insert, sparing every submission a second commit; when the
// enqueue then fails it is cleared again, and a crash in between is healed by the sweep's re-queue window.
const REPORT_COLUMNS = `id, organisation_id, source_format, title, description, rsit_classification, rsit_type, severity,
  tlp, tlp_recipients, first_seen, last_seen, sector_tags, country_tags, idempotency_key, indicator_count, skipped,
  enqueued_at`;

/**
 * The one way a report gets in: the report row, its raw payload and its indicators are written atomically as
 * `received` (one statement for a submission read whole, one transaction for a streamed one); only then is the
 * normalisation job enqueued (job id = report id). If Redis is down the report is kept and queued later.
 */
@Injectable()
export class ReportIntakeService {
  private readonly logger = new Logger(ReportIntakeService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly enqueuer: ReportEnqueuer,
  ) {}

  async submit(principal: OrganisationPrincipal, submission: Submission): Promise<ReportAccepted> {
    await this.checkHeader(submission.header);
    if (submission.idempotencyKey) {
      const earlier = await this.findByIdempotencyKey(principal.organisationId, submission.idempotencyKey);
      if (earlier) return this.replay(earlier, submission.content);
    }
    const id = randomUUID();
    try {
      const { content } = submission;
      const indicators =
        'fill' in content
          ? await this.storeStreamed(id, principal, submission, content.fill)
          : await this.storeWhole(id, principal, submission, content);
      this.logger.log({ reportId: id, format: submission.header.format, indicators }, 'report received');
    } catch (error) {
      // Two submissions raced with the same Idempotency-Key: the first one won; answer as it did.
      if (submission.idempotencyKey && isUniqueViolation(error)) {
        const earlier = await this.findByIdempotencyKey(principal.organisationId, submission.idempotencyKey);
        if (earlier) return { id: earlier.id, statusUrl: statusUrlOf(earlier.id), replayed: true };
      }
      throw error;
    }
    if (!(await this.enqueuer.enqueue(id))) await this.enqueuer.markNotQueued(id);
    return { id, statusUrl: statusUrlOf(id), replayed: false };
  }

  /** Report, payload and indicator batches in one statement (data-modifying CTEs): atomic and one round trip. */
  private async storeWhole(
    id: string,
    principal: OrganisationPrincipal,
    { header, contentType, idempotencyKey }: Submission,
    { payload, rows, skipped }: { payload: Buffer; rows: IndicatorRow[]; skipped: SkippedItem[] },
  ): Promise<number> {
    const reportValues = reportParameters(
      id,
      principal,
      header,
      idempotencyKey,
      rows.length,
      listed(skipped, skipped.length),
    );
    const n = reportValues.length;
    await this.dataSource.query(
      `WITH report AS (
         INSERT INTO incident_reports (${REPORT_COLUMNS})
         VALUES (${placeholders(reportValues)}, now()) RETURNING id
       ), payload AS (
         INSERT INTO report_payloads (report_id, content_type, size_bytes, sha256)
         SELECT id, $${n + 1}, $${n + 2}, $${n + 3} FROM report
       ), chunk AS (
         INSERT INTO report_payload_chunks (report_id, seq, data) SELECT id, 0, $${n + 4} FROM report
       )
       INSERT INTO report_indicator_batches (report_id, seq, indicator_count, indicators)
       SELECT report.id, b.seq - 1, json_array_length(b.indicators), b.indicators
         FROM report, json_array_elements($${n + 5}::json) WITH ORDINALITY AS b(indicators, seq)`,
      [...reportValues, contentType, payload.length, sha256(payload), payload, indicatorBatchesJson(rows)],
    );
    return rows.length;
  }

  /** A streamed submission: written batch by batch inside one transaction, so a failure leaves nothing. */
  private async storeStreamed(
    id: string,
    principal: OrganisationPrincipal,
    { header, contentType, idempotencyKey }: Submission,
    fill: ReportFiller,
  ): Promise<number> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      const reportValues = reportParameters(id, principal, header, idempotencyKey, 0, []);
      await runner.query(
        `INSERT INTO incident_reports (${REPORT_COLUMNS})
         VALUES (${placeholders(reportValues)}, now())`,
        reportValues,
      );
      await runner.query(`INSERT INTO report_payloads (report_id, content_type) VALUES ($1, $2)`, [id, contentType]);
      const writer = new ReportWriter(runner, id);
      await fill(writer);
      await writer.flush();
      await runner.query(`UPDATE report_payloads SET size_bytes = $2, sha256 = $3 WHERE report_id = $1`, [
        id,
        writer.payloadBytes,
        writer.digest(),
      ]);
      await runner.query(`UPDATE incident_reports SET indicator_count = $2, skipped = $3 WHERE id = $1`, [
        id,
        writer.indicatorCount,
        JSON.stringify(listed(writer.skipped, writer.skippedCount)),
      ]);
      await runner.commitTransaction();
      return writer.indicatorCount;
    } catch (error) {
      await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
  }

  /** An earlier answer for the same key, provided the payload is the same; a different one is a conflict. */
  private async replay(
    earlier: { id: string; sha256: string | null },
    content: SubmissionContent,
  ): Promise<ReportAccepted> {
    let digest: string;
    if ('fill' in content) {
      const hasher = new ReportWriter(null, earlier.id);
      await content.fill(hasher);
      digest = hasher.digest();
    } else digest = sha256(content.payload);
    if (earlier.sha256 !== null && digest !== earlier.sha256) {
      throw new VigiaException(
        ErrorCode.Conflict,
        'Idempotency-Key was already used for a different submission; use a new key for new content',
      );
    }
    return { id: earlier.id, statusUrl: statusUrlOf(earlier.id), replayed: true };
  }

  private async findByIdempotencyKey(
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

  /** Checks that need the database or more than one field: recipients exist, first seen before last seen. */
  private async checkHeader(header: ReportHeader): Promise<void> {
    const problems: ProblemDetail[] = [];
    if (header.firstSeen && header.lastSeen && header.firstSeen > header.lastSeen) {
      problems.push({
        path: 'last_seen',
        value: header.lastSeen.toISOString(),
        reason: 'last_seen is before first_seen',
      });
    }
    if (header.tlpRecipients.length > 0) {
      const found = (await this.dataSource.query(`SELECT id FROM organisations WHERE id = ANY($1::uuid[])`, [
        header.tlpRecipients,
      ])) as { id: string }[];
      const known = new Set(found.map((row) => row.id));
      header.tlpRecipients.forEach((recipient, index) => {
        if (!known.has(recipient)) {
          problems.push({ path: `tlp_recipients[${index}]`, value: recipient, reason: 'no such organisation' });
        }
      });
    }
    if (problems.length > 0) throw validationException(problems);
  }

  async status(organisationId: string, id: string): Promise<IncidentReportEntity> {
    const report = await this.dataSource.getRepository(IncidentReportEntity).findOne({ where: { id, organisationId } });
    // Another organisation's report is answered exactly like a missing one.
    if (!report) throw new VigiaException(ErrorCode.NotFound, `No report ${id}`);
    return report;
  }
}

function reportParameters(
  id: string,
  principal: OrganisationPrincipal,
  header: ReportHeader,
  idempotencyKey: string | undefined,
  indicatorCount: number,
  skipped: SkippedItem[],
): unknown[] {
  return [
    id,
    principal.organisationId,
    header.format,
    header.title,
    header.description,
    header.classification,
    header.type,
    header.severity,
    header.tlp,
    header.tlpRecipients,
    header.firstSeen,
    header.lastSeen,
    header.sectors,
    header.countries,
    idempotencyKey ?? null,
    indicatorCount,
    JSON.stringify(skipped),
  ];
}

/** The skipped items to store: at most MAX_LISTED_SKIPPED, then one line saying how many more there were. */
function listed(skipped: SkippedItem[], total: number): SkippedItem[] {
  const shown = skipped.slice(0, MAX_LISTED_SKIPPED);
  return total > shown.length
    ? [...shown, { path: '', reason: `${total - shown.length} more items skipped (not listed)` }]
    : shown;
}

const placeholders = (values: unknown[]): string => values.map((_, index) => `$${index + 1}`).join(', ');

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

const isUniqueViolation = (error: unknown): boolean =>
  error instanceof QueryFailedError && (error.driverError as { code?: string }).code === UNIQUE_VIOLATION;
