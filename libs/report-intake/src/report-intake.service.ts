import { createHash, randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { OrganisationPrincipal } from '@vigia/auth';
import { ErrorCode, ProblemDetail, VigiaException, validationException } from '@vigia/common';
import {
  IncidentReportEntity,
  NewReport,
  OrganisationRepository,
  OutboxJob,
  ReportRepository,
  SkippedItem,
  isUniqueViolation,
} from '@vigia/database';
import { JobName, JobOutbox, outboxJob } from '@vigia/queue';
import {
  IndicatorRow,
  MAX_LISTED_SKIPPED,
  ReportAccepted,
  ReportHeader,
  ReportSink,
  statusUrlOf,
} from './report-draft';
import { ReportWriter, indicatorBatchesJson } from './report-writer';

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

/**
 * The one way a report gets in: the report row, its raw payload, its indicators and its normalisation job (outbox,
 * job id = report id) are written atomically as `received` (one statement for a submission read whole, one
 * transaction for a streamed one); after the commit the job goes to the queue. If Redis is down the report is kept
 * and the outbox relay queues it once Redis is back.
 */
@Injectable()
export class ReportIntakeService {
  private readonly logger = new Logger(ReportIntakeService.name);

  constructor(
    private readonly reports: ReportRepository,
    private readonly organisations: OrganisationRepository,
    private readonly outbox: JobOutbox,
  ) {}

  async submit(principal: OrganisationPrincipal, submission: Submission): Promise<ReportAccepted> {
    await this.checkHeader(submission.header);
    if (submission.idempotencyKey) {
      const earlier = await this.reports.findByIdempotencyKey(principal.organisationId, submission.idempotencyKey);
      if (earlier) return this.replay(earlier, submission.content);
    }
    const id = randomUUID();
    const jobs = [outboxJob(JobName.NormaliseReport, { reportId: id }, id)];
    try {
      const { content } = submission;
      const report = newReport(id, principal, submission);
      const indicators =
        'fill' in content
          ? await this.storeStreamed(report, submission.contentType, jobs, content.fill)
          : await this.storeWhole(report, submission.contentType, jobs, content);
      this.logger.log({ reportId: id, format: submission.header.format, indicators }, 'report received');
    } catch (error) {
      // Two submissions raced with the same Idempotency-Key: the first one won; answer as it did if this one sent
      // the same content, with a conflict otherwise (as when the key is found before storing).
      if (submission.idempotencyKey && isUniqueViolation(error)) {
        const earlier = await this.reports.findByIdempotencyKey(principal.organisationId, submission.idempotencyKey);
        if (earlier) return this.replay(earlier, submission.content);
      }
      throw error;
    }
    await this.outbox.dispatch(jobs);
    return { id, statusUrl: statusUrlOf(id), replayed: false };
  }

  /** Report, payload, indicator batches and job in one statement: atomic and one round trip. */
  private async storeWhole(
    report: NewReport,
    contentType: string,
    jobs: OutboxJob[],
    { payload, rows, skipped }: { payload: Buffer; rows: IndicatorRow[]; skipped: SkippedItem[] },
  ): Promise<number> {
    await this.reports.insertWhole(
      {
        ...report,
        indicatorCount: rows.length,
        skipped: skipped.slice(0, MAX_LISTED_SKIPPED),
        skippedCount: skipped.length,
      },
      { contentType, data: payload, sha256: sha256(payload) },
      indicatorBatchesJson(rows),
      jobs,
    );
    return rows.length;
  }

  /** A streamed submission: written batch by batch inside one transaction, so a failure leaves nothing. */
  private async storeStreamed(
    report: NewReport,
    contentType: string,
    jobs: OutboxJob[],
    fill: ReportFiller,
  ): Promise<number> {
    const totals = await this.reports.insertStreamed(report, contentType, jobs, async (parts) => {
      const writer = new ReportWriter(parts);
      await fill(writer);
      await writer.flush();
      return {
        payloadBytes: writer.payloadBytes,
        sha256: writer.digest(),
        indicatorCount: writer.indicatorCount,
        skipped: writer.skipped,
        skippedCount: writer.skippedCount,
      };
    });
    return totals.indicatorCount;
  }

  /** An earlier answer for the same key, provided the payload is the same; a different one is a conflict. */
  private async replay(
    earlier: { id: string; sha256: string | null },
    content: SubmissionContent,
  ): Promise<ReportAccepted> {
    let digest: string;
    if ('fill' in content) {
      const hasher = new ReportWriter(null);
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
      const known = await this.organisations.existingIds(header.tlpRecipients);
      header.tlpRecipients.forEach((recipient, index) => {
        if (!known.has(recipient)) {
          problems.push({ path: `tlp_recipients[${index}]`, value: recipient, reason: 'no such organisation' });
        }
      });
    }
    if (problems.length > 0) throw validationException(problems);
  }

  async status(organisationId: string, id: string): Promise<IncidentReportEntity> {
    const report = await this.reports.findOwned(organisationId, id);
    // Another organisation's report is answered exactly like a missing one.
    if (!report) throw new VigiaException(ErrorCode.NotFound, `No report ${id}`);
    return report;
  }
}

/** The report row of a submission; counts and skipped items are filled in once the content is read. */
function newReport(id: string, principal: OrganisationPrincipal, { header, idempotencyKey }: Submission): NewReport {
  return {
    id,
    organisationId: principal.organisationId,
    ...header,
    idempotencyKey: idempotencyKey ?? null,
    indicatorCount: 0,
    skipped: [],
    skippedCount: 0,
  };
}

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');
