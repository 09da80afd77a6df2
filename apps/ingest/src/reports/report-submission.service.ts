import { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode, VigiaException } from '@vigia/common';
import { APP_CONFIG, AppConfig } from '@vigia/config';
import type { Request } from 'express';
import { OrganisationPrincipal } from '@vigia/auth';
import { ReportSourceFormat } from '@vigia/database';
import { ReportAcceptedDto, ReportsAcceptedDto, ReportStatusDto } from './dto/report-answers.dto';
import { CreateReportDto } from './dto/create-report.dto';
import {
  headerFromFields,
  ReportAccepted,
  ReportIntakeService,
  ReportOverridesDto,
  refuseDuplicateKeys,
  refuseTooManyIndicators,
  refuseUnsafeDocument,
  StixBundleFormat,
  validateReportFields,
} from '@vigia/report-intake';
import { streamCsvIndicators } from './formats/csv-indicators.format';
import { readColumnMapping } from './formats/csv-layout';
import { MispEventFormat } from './formats/misp-event.format';
import { readMultipartCsv } from './formats/multipart-csv';
import { spoolBody } from './formats/spooled-body';
import { toReportAcceptedDto, toReportStatusDto } from './report-status.mapper';

/** What the reports controller calls: one method per submission format, plus status. */
@Injectable()
export class ReportSubmissionService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly intake: ReportIntakeService,
    private readonly misp: MispEventFormat,
    private readonly stix: StixBundleFormat,
  ) {}

  async submitJson(
    principal: OrganisationPrincipal,
    dto: CreateReportDto,
    raw: { body: Buffer; contentType: string },
    idempotencyKey?: string,
  ): Promise<{ answer: ReportAcceptedDto; replayed: boolean }> {
    refuseDuplicateKeys(raw.body);
    const accepted = await this.intake.submit(principal, {
      header: headerFromFields(ReportSourceFormat.Json, dto),
      contentType: raw.contentType,
      idempotencyKey,
      content: { payload: raw.body, rows: dto.indicators, skipped: [] },
    });
    return answerOf(accepted);
  }

  /** A STIX document (bundle, TAXII envelope or one object) plus query fields that override it. */
  async submitStix(
    principal: OrganisationPrincipal,
    document: unknown,
    overrides: ReportOverridesDto,
    raw: { body: Buffer; contentType: string },
    idempotencyKey?: string,
  ): Promise<{ answer: ReportAcceptedDto; replayed: boolean }> {
    refuseUnsafeDocument(document, raw.body);
    const submission = await this.stix.toSubmission(document, overrides, raw);
    refuseTooManyIndicators(submission, this.config.ingest.maxIndicators);
    return answerOf(await this.intake.submit(principal, { ...submission, idempotencyKey }));
  }

  /**
   * A MISP document plus query fields that override each event. A single event (wrapped or bare) answers
   * `{id, status_url}`; a list (search results or an array) answers `{reports: [...]}`, one per event, in order.
   * Every event is checked before any is stored; with an Idempotency-Key, event i of a list is stored under
   * `<key>#<i>`, so a retry replays each one.
   */
  async submitMisp(
    principal: OrganisationPrincipal,
    document: unknown,
    overrides: ReportOverridesDto,
    raw: { body: Buffer; contentType: string },
    idempotencyKey?: string,
  ): Promise<{ answer: ReportAcceptedDto | ReportsAcceptedDto; replayed: boolean }> {
    refuseUnsafeDocument(document, raw.body);
    const { several, submissions } = await this.misp.toSubmissions(document, overrides, raw);
    submissions.forEach((submission) => refuseTooManyIndicators(submission, this.config.ingest.maxIndicators));
    if (!several) {
      return answerOf(await this.intake.submit(principal, { ...submissions[0]!, idempotencyKey }));
    }
    const accepted: ReportAccepted[] = [];
    for (const [index, submission] of submissions.entries()) {
      const eventKey = idempotencyKey === undefined ? undefined : `${idempotencyKey}#${index}`;
      accepted.push(await this.intake.submit(principal, { ...submission, idempotencyKey: eventKey }));
    }
    return {
      answer: { reports: accepted.map(toReportAcceptedDto) },
      replayed: accepted.every((report) => report.replayed),
    };
  }

  /**
   * CSV as `text/csv` (report fields in the query) or `multipart/form-data` (fields as form fields), with an
   * optional column mapping (`columns`, `indicator_type`) for feeds' own layouts.
   */
  async submitCsv(
    principal: OrganisationPrincipal,
    request: Request,
    query: Record<string, unknown>,
    idempotencyKey?: string,
  ): Promise<{ answer: ReportAcceptedDto; replayed: boolean }> {
    const limit = this.config.ingest.csvLimitBytes;
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > limit) {
      throw new VigiaException(ErrorCode.PayloadTooLarge, `CSV is larger than the ${limit / 2 ** 20} MiB limit`);
    }
    const contentType = request.headers['content-type'] ?? 'text/csv';
    let source: Readable = request;
    let formFields: Record<string, unknown> = {};
    if (contentType.startsWith('multipart/form-data')) {
      const multipart = await readMultipartCsv(request, limit);
      source = multipart.file;
      formFields = multipart.fields;
    }
    const fields = await validateReportFields({ ...query, ...formFields });
    const mapping = readColumnMapping({ ...query, ...formFields });
    // The whole body first, onto disk: no connection or transaction waits on a slow sender.
    const body = await spoolBody(source, limit);
    try {
      const limits = { bytes: limit, indicators: this.config.ingest.maxIndicators };
      const accepted = await this.intake.submit(principal, {
        header: headerFromFields(ReportSourceFormat.Csv, fields),
        contentType,
        idempotencyKey,
        content: { fill: (sink) => streamCsvIndicators(body.open(), sink, limits, mapping) },
      });
      return answerOf(accepted);
    } finally {
      await body.discard();
    }
  }

  async status(principal: OrganisationPrincipal, id: string): Promise<ReportStatusDto> {
    return toReportStatusDto(await this.intake.status(principal.organisationId, id));
  }
}

const answerOf = (accepted: ReportAccepted) => ({ answer: toReportAcceptedDto(accepted), replayed: accepted.replayed });
