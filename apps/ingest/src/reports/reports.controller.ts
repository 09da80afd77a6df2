import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { Authenticated, CurrentOrganisation, OrganisationPrincipal, Scope } from '@vigia/auth';
import type { Request, Response } from 'express';
import { IdempotencyKey } from '../http/idempotency-key.decorator';
import { MaxIndicatorsGuard } from '../http/max-indicators.guard';
import { CountedAsRead, CountedAsSubmission, OrganisationThrottlerGuard } from '../http/organisation-throttler.guard';
import { AcceptsContentTypes } from '../http/require-content-type.guard';
import { CreateReportDto } from './dto/create-report.dto';
import { ReportAcceptedDto, ReportsAcceptedDto, ReportStatusDto } from './dto/report-answers.dto';
import { ReportOverridesDto } from '@vigia/report-intake';
import { CSV_EXAMPLE, JSON_REPORT_EXAMPLE, MISP_EVENT_EXAMPLE, STIX_BUNDLE_EXAMPLE } from './dto/openapi-examples';
import { ListReportsQueryDto, ReportListPageDto } from './dto/report-list.dto';
import { ReportListService } from './report-list.service';
import { ReportSubmissionService } from './report-submission.service';

type RawRequest = Request & { rawBody?: Buffer };

const STIX_MEDIA_TYPES = [
  'application/json',
  'application/stix+json',
  'application/vnd.oasis.stix+json',
  'application/taxii+json',
];

const rawOf = (request: RawRequest) => ({
  body: request.rawBody ?? Buffer.alloc(0),
  contentType: request.headers['content-type'] ?? 'application/json',
});

/** Marks a replayed answer, so a client can tell it got the first submission's result back. */
const markReplay = (response: Response, replayed: boolean): void => {
  if (replayed) response.setHeader('Idempotent-Replayed', 'true');
};

@ApiTags('reports')
@ApiHeader({
  name: 'Idempotency-Key',
  required: false,
  description: 'Retrying with the same key returns the first answer',
})
@Controller('api/v1/reports')
// The throttlers count per organisation, so they run after authentication (guards run bottom-up here). Each route
// is counted by one limit: submissions, or the more generous reads.
@UseGuards(OrganisationThrottlerGuard)
@Authenticated({ scopes: [Scope.ReportsWrite] })
export class ReportsController {
  constructor(
    private readonly reports: ReportSubmissionService,
    private readonly ownReports: ReportListService,
  ) {}

  @Get()
  @CountedAsRead()
  @ApiOperation({
    summary: 'The organisation’s own reports, newest first, with status and counts (cursor pages)',
    description: 'Only the caller’s organisation’s reports are listed; `status` keeps one status.',
  })
  @ApiOkResponse({ type: ReportListPageDto })
  list(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @Query() query: ListReportsQueryDto,
  ): Promise<ReportListPageDto> {
    return this.ownReports.list(principal, query);
  }

  @Post()
  @CountedAsSubmission()
  @HttpCode(HttpStatus.ACCEPTED)
  @AcceptsContentTypes('application/json')
  @UseGuards(MaxIndicatorsGuard)
  @ApiOperation({ summary: 'Submit an incident report as JSON' })
  @ApiBody({ type: CreateReportDto, examples: { phishing: { value: JSON_REPORT_EXAMPLE } } })
  @ApiAcceptedResponse({ type: ReportAcceptedDto })
  async submitJson(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @Body() dto: CreateReportDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @Req() request: RawRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ReportAcceptedDto> {
    const { answer, replayed } = await this.reports.submitJson(principal, dto, rawOf(request), idempotencyKey);
    markReplay(response, replayed);
    return answer;
  }

  @Post('stix')
  @CountedAsSubmission()
  @HttpCode(HttpStatus.ACCEPTED)
  @AcceptsContentTypes(...STIX_MEDIA_TYPES)
  @ApiOperation({
    summary: 'Submit STIX 2.1: a bundle, a TAXII 2.1 envelope {"objects": [...]} or a single object',
    description:
      'Every object is checked against STIX 2.1 (400 listing each problem) and kept as sent, readable at ' +
      'GET /api/v1/objects/{id} on the portal. Indicator values come from simple patterns (= and ISSUBSET, joined ' +
      'by OR), standalone SCOs and CVE vulnerabilities; other patterns are kept, not value-matchable. Objects of ' +
      'custom types are listed as skipped. TLP from the objects’ marking refs (2.0 or 1.0).',
  })
  @ApiBody({ schema: { type: 'object' }, examples: { bundle: { value: STIX_BUNDLE_EXAMPLE } } })
  @ApiAcceptedResponse({ type: ReportAcceptedDto })
  async submitStix(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @Body() bundle: unknown,
    @Query() overrides: ReportOverridesDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @Req() request: RawRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ReportAcceptedDto> {
    const { answer, replayed } = await this.reports.submitStix(
      principal,
      bundle,
      overrides,
      rawOf(request),
      idempotencyKey,
    );
    markReplay(response, replayed);
    return answer;
  }

  @Post('misp')
  @CountedAsSubmission()
  @HttpCode(HttpStatus.ACCEPTED)
  @AcceptsContentTypes('application/json')
  @ApiOperation({
    summary: 'Submit MISP events: {"Event": …}, a bare event, {"response": [...]} or an array of events',
    description:
      'Each event becomes a report. A single event (wrapped or bare) answers {id, status_url}; search results or an ' +
      'array answer {reports: [{id, status_url}, ...]} in the order of the document. Every event is checked first: ' +
      'one malformed event refuses the document (400 naming it). Common attribute types are mapped (to_ids false: ' +
      'observables), galaxies and file, domain-ip, url and email objects become STIX objects; the rest are listed ' +
      'as skipped. Query fields override every event.',
  })
  @ApiBody({ schema: { type: 'object' }, examples: { event: { value: MISP_EVENT_EXAMPLE } } })
  @ApiExtraModels(ReportAcceptedDto, ReportsAcceptedDto)
  @ApiAcceptedResponse({
    schema: { oneOf: [{ $ref: getSchemaPath(ReportAcceptedDto) }, { $ref: getSchemaPath(ReportsAcceptedDto) }] },
  })
  async submitMisp(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @Body() event: unknown,
    @Query() overrides: ReportOverridesDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @Req() request: RawRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ReportAcceptedDto | ReportsAcceptedDto> {
    const { answer, replayed } = await this.reports.submitMisp(
      principal,
      event,
      overrides,
      rawOf(request),
      idempotencyKey,
    );
    markReplay(response, replayed);
    return answer;
  }

  @Post('csv')
  @CountedAsSubmission()
  @HttpCode(HttpStatus.ACCEPTED)
  @AcceptsContentTypes('text/csv', 'multipart/form-data')
  @ApiOperation({
    summary: 'Submit indicators as CSV, streamed',
    description:
      'Header row: type,value,first_seen,last_seen,confidence,note. Report fields as query parameters, or as ' +
      'form fields placed before the file part. Rows that fail validation are skipped and listed in the status. ' +
      'Lines starting with # are skipped. A feed’s own layout (abuse.ch URLhaus, ThreatFox, Feodo Tracker...) is ' +
      'read with columns=<file column>:<Vigia column>,... (note may take several) and, without a type column, ' +
      'indicator_type=<type>; the header may be the # comment line just before the data. Times without a zone are UTC.',
  })
  @ApiBody({ schema: { type: 'string', format: 'binary' }, examples: { feed: { value: CSV_EXAMPLE } } })
  @ApiAcceptedResponse({ type: ReportAcceptedDto })
  async submitCsv(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @Query() query: Record<string, unknown>,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ReportAcceptedDto> {
    const { answer, replayed } = await this.reports.submitCsv(principal, request, query, idempotencyKey);
    markReplay(response, replayed);
    return answer;
  }

  @Get(':id')
  @CountedAsRead()
  @ApiOperation({ summary: 'Status of a submitted report: received, normalised or failed, with counts' })
  @ApiOkResponse({ type: ReportStatusDto })
  status(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<ReportStatusDto> {
    return this.reports.status(principal, id);
  }
}
