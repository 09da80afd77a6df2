import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentOrganisation, OrganisationPrincipal } from '@vigia/auth';
import { UserRole } from '@vigia/database';
import { NetworkHealthDto } from './dto/network-health.dto';
import { NetworkHealthService } from './network-health.service';

@ApiTags('network')
@Controller('api/v1/network')
export class NetworkHealthController {
  constructor(private readonly health: NetworkHealthService) {}

  @Get('health')
  @Authenticated({ roles: [UserRole.Coordinator] })
  @ApiOperation({
    summary: 'How the network runs, over the last 30 days (coordinators)',
    description:
      'Members by status and country, reports and indicators per organisation and day, the values most ' +
      'organisations reported (CLEAR and GREEN ones the coordinating organisation may see), webhook delivery ' +
      'outcomes and latency per organisation, and the job queues’ depths. Counts and times only.',
  })
  @ApiOkResponse({ type: NetworkHealthDto })
  figures(@CurrentOrganisation() principal: OrganisationPrincipal): Promise<NetworkHealthDto> {
    return this.health.figures(principal);
  }
}
