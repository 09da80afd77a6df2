import { Controller, Get, Headers, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentOrganisation, OrganisationPrincipal, Scope } from '@vigia/auth';
import type { Request, Response } from 'express';
import { StreamQueryDto } from './stream-query.dto';
import { WarningStreamService } from './warning-stream.service';

@ApiTags('stream')
@Controller('api/v1/stream')
@Authenticated({ scopes: [Scope.StreamRead] })
export class StreamController {
  constructor(private readonly streams: WarningStreamService) {}

  @Get()
  @ApiOperation({
    summary: 'Live early warnings (Server-Sent Events)',
    description:
      'Events `indicator.warning` with the envelope as data and the stream entry id as id. Reconnect with ' +
      'Last-Event-ID (or ?last_event_id=) to receive what was missed; `event: gap` says some of it is no longer ' +
      'kept. Comment lines keep idle connections open. 429 beyond the concurrent streams allowed per organisation.',
  })
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'Resume after this event id' })
  @ApiOkResponse({ description: 'An event stream' })
  async stream(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @Headers('last-event-id') lastEventIdHeader: string | undefined,
    @Query() query: StreamQueryDto,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    await this.streams.open(principal.organisationId, lastEventIdHeader ?? query.last_event_id, request, response);
  }
}
