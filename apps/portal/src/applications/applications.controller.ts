import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentOrigin, RequestOrigin } from '@vigia/audit';
import { Authenticated, CurrentOrganisation, OrganisationPrincipal } from '@vigia/auth';
import { UserRole } from '@vigia/database';
import { ApplicationsService } from './applications.service';
import { ApplicationDto, ApplicationListDto, ApplicationSummaryDto } from './dto/application-answers.dto';
import {
  ApplicationCommentDto,
  ApplicationListQueryDto,
  ApplicationTransitionDto,
  EndorsementDto,
  ExternalEndorsementDto,
} from './dto/application-input.dto';

const uuid = new ParseUUIDPipe();

/** Review (coordinators) and sponsorship (org-admins of members) of applications to join the network. */
@ApiTags('applications')
@Controller('api/v1/applications')
@ApiNotFoundResponse({ description: 'No such application (or, for members, not one in review)' })
export class ApplicationsController {
  constructor(private readonly applications: ApplicationsService) {}

  @Get()
  @Authenticated({ roles: [UserRole.Coordinator, UserRole.OrgAdmin] })
  @ApiOperation({
    summary: 'Applications, oldest first, with the review clock',
    description: 'Coordinators see every application; org-admins of members those in review, to sponsor them.',
  })
  @ApiOkResponse({ type: ApplicationListDto })
  list(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @Query() query: ApplicationListQueryDto,
  ): Promise<ApplicationListDto> {
    return this.applications.list(principal, query);
  }

  @Get(':id')
  @Authenticated({ roles: [UserRole.Coordinator, UserRole.OrgAdmin] })
  @ApiOperation({ summary: 'One application: with contacts, endorsements and history for coordinators' })
  @ApiOkResponse({ type: ApplicationDto })
  get(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @Param('id', uuid) id: string,
  ): Promise<ApplicationDto | ApplicationSummaryDto> {
    return this.applications.get(principal, id);
  }

  @Post(':id/transitions')
  @Authenticated({ roles: [UserRole.Coordinator] })
  @ApiOperation({
    summary: 'Move the application on: under_review, information_requested, approved or rejected',
    description:
      'A question or a rejection is mailed to the applicant with the reason. Approval needs the required ' +
      'endorsements; it creates the organisation (active), its directory entry, and invites the applicant as its ' +
      'first org-admin by a one-time link.',
  })
  @ApiCreatedResponse({ type: ApplicationDto })
  @ApiConflictResponse({ description: 'The move is not allowed from this status, or something it needs is missing' })
  transition(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @CurrentOrigin() origin: RequestOrigin,
    @Param('id', uuid) id: string,
    @Body() dto: ApplicationTransitionDto,
  ): Promise<ApplicationDto> {
    return this.applications.transition(principal, origin, id, dto);
  }

  @Post(':id/comments')
  @Authenticated({ roles: [UserRole.Coordinator] })
  @ApiOperation({ summary: 'Add an internal comment to the history (never sent to the applicant)' })
  @ApiCreatedResponse({ type: ApplicationDto })
  comment(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @CurrentOrigin() origin: RequestOrigin,
    @Param('id', uuid) id: string,
    @Body() dto: ApplicationCommentDto,
  ): Promise<ApplicationDto> {
    return this.applications.comment(principal, origin, id, dto);
  }

  @Post(':id/endorsements')
  @Authenticated({ roles: [UserRole.OrgAdmin] })
  @ApiOperation({ summary: 'Sponsor an application in review, for the caller’s organisation (once)' })
  @ApiCreatedResponse({ type: ApplicationSummaryDto })
  @ApiConflictResponse({ description: 'Already endorsed by the organisation, or not in review' })
  endorse(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @CurrentOrigin() origin: RequestOrigin,
    @Param('id', uuid) id: string,
    @Body() dto: EndorsementDto,
  ): Promise<ApplicationSummaryDto> {
    return this.applications.endorse(principal, origin, id, dto);
  }

  @Post(':id/external-endorsements')
  @Authenticated({ roles: [UserRole.Coordinator] })
  @ApiOperation({ summary: 'Record an endorsement from outside the network (e.g. the national contact point)' })
  @ApiCreatedResponse({ type: ApplicationDto })
  endorseExternally(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @CurrentOrigin() origin: RequestOrigin,
    @Param('id', uuid) id: string,
    @Body() dto: ExternalEndorsementDto,
  ): Promise<ApplicationDto> {
    return this.applications.endorseExternally(principal, origin, id, dto);
  }
}
