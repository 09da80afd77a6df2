import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentOrigin, RequestOrigin } from '@vigia/audit';
import { Authenticated, CurrentOrganisation, OrganisationPrincipal, Scope } from '@vigia/auth';
import { StixObjectsDto } from './dto/object-answers.dto';
import { ObjectVersionQueryDto } from './dto/object-query.dto';
import { ObjectsService } from './objects.service';

@ApiTags('objects')
@Controller('api/v1/objects')
export class ObjectsController {
  constructor(private readonly objects: ObjectsService) {}

  @Get(':stixId')
  @Authenticated({ scopes: [Scope.IndicatorsRead] })
  @ApiOperation({
    summary: 'One STIX object by id: its latest version, one version, or every version',
    description:
      'Any object Vigia stores (its own, and every object of the bundles members submitted, kept as sent) that ' +
      'was shared with the caller; anything else answers 404. Reads of AMBER+STRICT and RED objects are audited.',
  })
  @ApiOkResponse({ type: StixObjectsDto })
  @ApiBadRequestResponse({ description: 'Not a STIX id, or a version that is neither "all" nor a timestamp' })
  @ApiNotFoundResponse({ description: 'No such object, or not shared with the caller' })
  read(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @CurrentOrigin() origin: RequestOrigin,
    @Param('stixId') stixId: string,
    @Query() query: ObjectVersionQueryDto,
  ): Promise<StixObjectsDto> {
    return this.objects.read(stixId, query.version, principal, origin);
  }
}
