import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentOrigin, RequestOrigin } from '@vigia/audit';
import { Authenticated, CurrentOrganisation, OrganisationPrincipal, ReadsOnly, Scope } from '@vigia/auth';
import {
  FeedbackRecordedDto,
  IndicatorDetailDto,
  IndicatorPageDto,
  IndicatorLookupAnswerDto,
} from './dto/indicator-answers.dto';
import { FeedbackInputDto, LookupInputDto, SightingInputDto } from './dto/indicator-input.dto';
import { IndicatorQueryDto } from './dto/indicator-query.dto';
import { IndicatorsService } from './indicators.service';

@ApiTags('indicators')
@Controller('api/v1/indicators')
export class IndicatorsController {
  constructor(private readonly indicators: IndicatorsService) {}

  @Get()
  @Authenticated({ scopes: [Scope.IndicatorsRead] })
  @ApiOperation({
    summary: 'Search the indicators shared with your organisation',
    description:
      'Filters combine with AND; keyset pages (`cursor`), sorted by last seen, score or organisation count. ' +
      'Values are canonicalised as ingest does, so a defanged or upper-case value finds the stored one.',
  })
  @ApiOkResponse({ type: IndicatorPageDto })
  @ApiBadRequestResponse({ description: 'A filter that cannot be read, with the reason' })
  list(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @CurrentOrigin() origin: RequestOrigin,
    @Query() query: IndicatorQueryDto,
  ): Promise<IndicatorPageDto> {
    return this.indicators.list(principal, origin, query);
  }

  @Post('lookup')
  @ReadsOnly()
  @HttpCode(HttpStatus.OK)
  @Authenticated({ scopes: [Scope.IndicatorsRead] })
  @ApiOperation({
    summary: 'Check up to 10,000 raw values (from logs) against what the network knows',
    description:
      'Each value is canonicalised as ingest does (defanged, any case, ports and paths) and answered with what ' +
      'your organisation may know of it, or as unknown, and which constituency in the directory owns it.',
  })
  @ApiOkResponse({ type: IndicatorLookupAnswerDto })
  lookup(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @CurrentOrigin() origin: RequestOrigin,
    @Body() body: LookupInputDto,
  ): Promise<IndicatorLookupAnswerDto> {
    return this.indicators.lookup(principal, origin, body.values);
  }

  @Get(':id')
  @Authenticated({ scopes: [Scope.IndicatorsRead] })
  @ApiOperation({
    summary: 'One indicator: its observable, versions, sightings, feedback, reports and STIX',
    description: 'Only what your organisation may see; an indicator it may not see is not found.',
  })
  @ApiOkResponse({ type: IndicatorDetailDto })
  @ApiNotFoundResponse({ description: 'No such indicator, or not shared with you' })
  get(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @CurrentOrigin() origin: RequestOrigin,
    @Param('id') id: string,
  ): Promise<IndicatorDetailDto> {
    return this.indicators.get(principal, origin, id);
  }

  @Post(':id/sightings')
  @Authenticated({ scopes: [Scope.ReportsWrite] })
  @ApiOperation({
    summary: 'We see it too: a sighting under your own TLP, told to the organisations that shared it',
  })
  @ApiCreatedResponse({ type: FeedbackRecordedDto })
  @ApiNotFoundResponse({ description: 'No such indicator, or not shared with you' })
  sighting(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @CurrentOrigin() origin: RequestOrigin,
    @Param('id') id: string,
    @Body() body: SightingInputDto,
  ): Promise<FeedbackRecordedDto> {
    return this.indicators.recordSighting(principal, origin, id, body);
  }

  @Post(':id/feedback')
  @Authenticated({ scopes: [Scope.ReportsWrite] })
  @ApiOperation({
    summary: 'False positive or confirmed, under your own TLP, told to the organisations that shared it',
    description:
      'False-positive feedback lowers the score; from enough organisations (INDICATOR_FALSE_POSITIVE_THRESHOLD) ' +
      'the indicator raises no more warnings.',
  })
  @ApiCreatedResponse({ type: FeedbackRecordedDto })
  @ApiNotFoundResponse({ description: 'No such indicator, or not shared with you' })
  feedback(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @CurrentOrigin() origin: RequestOrigin,
    @Param('id') id: string,
    @Body() body: FeedbackInputDto,
  ): Promise<FeedbackRecordedDto> {
    return this.indicators.recordFeedback(principal, origin, id, body);
  }
}
