import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentOrigin, RequestOrigin } from '@vigia/audit';
import { Authenticated, CurrentOrganisation, OrganisationPrincipal, Public } from '@vigia/auth';
import { UserRole } from '@vigia/database';
import {
  ConfirmContactDto,
  ContactConfirmationDto,
  ReachabilityCheckDto,
  StartReachabilityCheckDto,
} from './dto/reachability.dto';
import { ReachabilityService } from './reachability.service';

const uuid = new ParseUUIDPipe();

@ApiTags('directory')
@Controller('api/v1/directory')
export class ReachabilityController {
  constructor(private readonly reachability: ReachabilityService) {}

  @Post('reachability-checks')
  @Authenticated({ roles: [UserRole.Coordinator] })
  @ApiOperation({
    summary: 'Ask every 24/7 contact of the active members to confirm it is reachable (coordinators)',
    description: 'Each contact is mailed a one-time confirmation link, valid until respond_by.',
  })
  @ApiCreatedResponse({ type: ReachabilityCheckDto })
  start(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @CurrentOrigin() origin: RequestOrigin,
    @Body() dto: StartReachabilityCheckDto,
  ): Promise<ReachabilityCheckDto> {
    return this.reachability.start(principal, origin, dto);
  }

  @Get('reachability-checks/:checkId')
  @Authenticated({ roles: [UserRole.Coordinator] })
  @ApiOperation({ summary: 'How a reachability check stands, and who has not confirmed (coordinators)' })
  @ApiOkResponse({ type: ReachabilityCheckDto })
  @ApiNotFoundResponse({ description: 'No such check' })
  get(@Param('checkId', uuid) checkId: string): Promise<ReachabilityCheckDto> {
    return this.reachability.get(checkId);
  }

  @Post('confirmations')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Confirm a 24/7 contact is reachable, with the one-time token of its check mail',
    description:
      'The token travels in the body, so no request log keeps it. Using the link again answers the same confirmation.',
  })
  @ApiOkResponse({ type: ContactConfirmationDto })
  @ApiNotFoundResponse({ description: 'Unknown or expired link' })
  confirm(@CurrentOrigin() origin: RequestOrigin, @Body() dto: ConfirmContactDto): Promise<ContactConfirmationDto> {
    return this.reachability.confirm(origin, dto.token);
  }
}
