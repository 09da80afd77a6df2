import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentOrigin, RequestOrigin } from '@vigia/audit';
import { Authenticated, CurrentOrganisation, OrganisationPrincipal, Scope } from '@vigia/auth';
import { ReportExportQueryDto } from './dto/report-export.dto';
import { MISP_FEED_EVENTS, ReportExportsService } from './report-exports.service';

@ApiTags('reports')
@Controller('api/v1')
export class ReportsController {
  constructor(private readonly exports: ReportExportsService) {}

  @Get('reports/:id')
  @Authenticated({ scopes: [Scope.IndicatorsRead] })
  @ApiOperation({
    summary: 'A report shared with the caller, as a STIX 2.1 bundle or a MISP event',
    description:
      'The report with every object it refers to that the caller may see (indicators, observables, sightings, the ' +
      'objects of the bundle it came from, creators, markings), and the `based-on` relationship of each value ' +
      'indicator to its observable. A report not shared with the caller answers 404. Its processing status stays ' +
      'at ingest (`status_url`).',
  })
  @ApiOkResponse({ description: 'A STIX bundle, or {"Event": {...}}' })
  @ApiBadRequestResponse({ description: 'format is not stix or misp' })
  @ApiNotFoundResponse({ description: 'No such report, or not shared with the caller' })
  export(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @CurrentOrigin() origin: RequestOrigin,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: ReportExportQueryDto,
  ): Promise<object> {
    return this.exports.export(id, query.format, principal, origin);
  }

  @Get('misp-feed/:file')
  @Authenticated({ scopes: [Scope.IndicatorsRead] })
  @ApiOperation({
    summary: 'The reports the caller may receive as a MISP feed: manifest.json, then <event uuid>.json',
    description:
      `MISP's "Add feed" (format MISP, URL https://<portal>/api/v1/misp-feed, header X-Api-Key: <key>) pulls the ` +
      `manifest and each event. The ${MISP_FEED_EVENTS} newest reports shared with the caller, TLP:RED left out.`,
  })
  @ApiOkResponse({ description: 'The manifest ({uuid: {info, date, ...}}) or one event ({"Event": {...}})' })
  @ApiNotFoundResponse({ description: 'No such event, or not shared with the caller' })
  mispFeed(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @CurrentOrigin() origin: RequestOrigin,
    @Param('file') file: string,
  ): Promise<object> {
    return this.exports.mispFeedFile(file, principal, origin);
  }
}
