import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { OrganisationPrincipal } from '@vigia/auth';
import { ErrorCode, ProblemDetail, VigiaException, validationException } from '@vigia/common';
import { IncidentReportEntity } from '@vigia/database';
import { DataSource, QueryFailedError } from 'typeorm';
import { ReportAccepted, ReportHeader, ReportSink, statusUrlOf } from './report-draft';
import { ReportEnqueuer } from './report-enqueuer.service';
import { ReportWriter } from './report-writer';

const UNIQUE_VIOLATION = '23505';

/** Fills a report's payload, indicators and skipped items; may throw a `VigiaException` to refuse it. */
export type ReportFiller = (sink: ReportSink) => Promise<void>;

export interface Submission {
  header: ReportHeader;
  contentType: string;
  idempotencyKey?: string;
  fill: ReportFiller;
}

/**
 * The one way a report gets in: the report row, its raw payload and its indicators are written in one
 * transaction as `received`; only after the commit is the normalisation job enqueued (job id = report id).
 * If Redis is down the report is kept and `ReportEnqueuer` queues it later.
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
      if (earlier) return this.replay(earlier, submission);
    }
    let id: string;
    try {
      id = await this.store(principal, submission);
    } catch (error) {
      // Two submissions raced with the same Idempotency-Key: the first one won; answer as it did.
      if (submission.idempotencyKey && isUniqueViolation(error)) {
        const earlier = await this.findByIdempotencyKey(principal.organisationId, submission.idempotencyKey);
        if (earlier) return { id: earlier.id, statusUrl: statusUrlOf(earlier.id), replayed: true };
      }
      throw error;
    }
    await this.enqueuer.enqueue(id);
    return { id, statusUrl: statusUrlOf(id), replayed: false };
  }

  private async store(principal: OrganisationPrincipal, { header, contentType, idempotencyKey, fill }: Submission) {
    const id = randomUUID();
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      await runner.query(
        `INSERT INTO incident_reports (id, organisation_id, source_format, title, description, rsit_classification,
           rsit_type, severity, tlp, tlp_recipients, first_seen, last_seen, sector_tags, country_tags, idempotency_key)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
        [
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
        ],
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
        JSON.stringify(writer.skippedCount > writer.skipped.length ? withOverflowNote(writer) : writer.skipped),
      ]);
      await runner.commitTransaction();
      this.logger.log({ reportId: id, format: header.format, indicators: writer.indicatorCount }, 'report received');
      return id;
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
    submission: Submission,
  ): Promise<ReportAccepted> {
    const hasher = new ReportWriter(null, earlier.id);
    await submission.fill(hasher);
    if (earlier.sha256 !== null && hasher.digest() !== earlier.sha256) {
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

function withOverflowNote(writer: ReportWriter) {
  const unlisted = writer.skippedCount - writer.skipped.length;
  return [...writer.skipped, { path: '', reason: `${unlisted} more items skipped (not listed)` }];
}

const isUniqueViolation = (error: unknown): boolean =>
  error instanceof QueryFailedError && (error.driverError as { code?: string }).code === UNIQUE_VIOLATION;
