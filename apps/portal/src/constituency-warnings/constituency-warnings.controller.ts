import { Body, Controller, Get, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentOrigin, RequestOrigin } from '@vigia/audit';
import { Authenticated, CurrentOrganisation, OrganisationPrincipal, Scope } from '@vigia/auth';
import { ConstituencyWarningsService } from './constituency-warnings.service';
import { ConstituencyWarningsDto, UpdateConstituencyWarningsDto } from './dto/constituency-warnings.dto';

const uuid = new ParseUUIDPipe();

@ApiTags('constituency-warnings')
@Controller('api/v1/organisations/:id/constituency-warnings')
@Authenticated({ scopes: [Scope.SubscriptionsManage] })
@ApiNotFoundResponse({ description: 'No such organisation, or not the caller’s' })
export class ConstituencyWarningsController {
  constructor(private readonly constituencyWarnings: ConstituencyWarningsService) {}

  @Get()
  @ApiOperation({
    summary: 'How the organisation is warned about reports on its own constituency (no subscription needed)',
    description:
      'A report another member shares about an address in its directory networks or AS numbers, or a domain under ' +
      'its suffixes, warns it under the sharing rule. On by default, every severity, every channel, no TLP:RED.',
  })
  @ApiOkResponse({ type: ConstituencyWarningsDto })
  get(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @Param('id', uuid) organisationId: string,
  ): Promise<ConstituencyWarningsDto> {
    return this.constituencyWarnings.get(principal, organisationId);
  }

  @Put()
  @ApiOperation({
    summary: 'Tune constituency warnings (org-admins of the organisation, coordinators, keys with the scope)',
    description: 'Fields not given keep their value. Takes effect for the next report.',
  })
  @ApiOkResponse({ type: ConstituencyWarningsDto })
  update(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @CurrentOrigin() origin: RequestOrigin,
    @Param('id', uuid) organisationId: string,
    @Body() dto: UpdateConstituencyWarningsDto,
  ): Promise<ConstituencyWarningsDto> {
    return this.constituencyWarnings.update(principal, origin, organisationId, dto);
  }
}
