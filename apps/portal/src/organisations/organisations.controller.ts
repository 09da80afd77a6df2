import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentOrigin, RequestOrigin } from '@vigia/audit';
import { Authenticated, CurrentOrganisation, OrganisationPrincipal, Scope } from '@vigia/auth';
import { UserRole } from '@vigia/database';
import {
  CreateOrganisationDto,
  OrganisationDto,
  OrganisationListDto,
  UpdateOrganisationStatusDto,
} from './dto/organisation.dto';
import { OrganisationsService } from './organisations.service';

const uuid = new ParseUUIDPipe();

@ApiTags('organisations')
@Controller('api/v1/organisations')
export class OrganisationsController {
  constructor(private readonly organisations: OrganisationsService) {}

  @Post()
  @Authenticated({ roles: [UserRole.Coordinator] })
  @ApiOperation({ summary: 'Add a member organisation (coordinators)', description: 'The organisation is active.' })
  @ApiCreatedResponse({ type: OrganisationDto })
  create(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @CurrentOrigin() origin: RequestOrigin,
    @Body() dto: CreateOrganisationDto,
  ): Promise<OrganisationDto> {
    return this.organisations.create(principal, origin, dto);
  }

  @Get()
  @Authenticated({ scopes: [Scope.DirectoryRead] })
  @ApiOperation({ summary: 'Organisations: all for coordinators, the caller’s own for everyone else' })
  @ApiOkResponse({ type: OrganisationListDto })
  async list(@CurrentOrganisation() principal: OrganisationPrincipal): Promise<OrganisationListDto> {
    return { items: await this.organisations.list(principal) };
  }

  @Get(':id')
  @Authenticated({ scopes: [Scope.DirectoryRead] })
  @ApiOperation({ summary: 'One organisation: any for coordinators, the caller’s own for everyone else' })
  @ApiOkResponse({ type: OrganisationDto })
  @ApiNotFoundResponse({ description: 'No such organisation, or not the caller’s' })
  get(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @Param('id', uuid) id: string,
  ): Promise<OrganisationDto> {
    return this.organisations.get(principal, id);
  }

  @Patch(':id/status')
  @Authenticated({ roles: [UserRole.Coordinator] })
  @ApiOperation({
    summary: 'Suspend or reinstate an organisation, with a reason (coordinators)',
    description:
      'At once: a suspended organisation’s API keys answer 403 and its people 401, its open streams end, its ' +
      'subscriptions pause (nothing shared is delivered to it) and webhook deliveries still to be sent to it are ' +
      'dead-lettered (replayable after reinstatement). Reinstatement resumes its subscriptions as they were.',
  })
  @ApiOkResponse({ type: OrganisationDto })
  @ApiNotFoundResponse({ description: 'No such organisation' })
  setStatus(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @CurrentOrigin() origin: RequestOrigin,
    @Param('id', uuid) id: string,
    @Body() dto: UpdateOrganisationStatusDto,
  ): Promise<OrganisationDto> {
    return this.organisations.setStatus(principal, origin, id, dto.status, dto.reason);
  }
}
