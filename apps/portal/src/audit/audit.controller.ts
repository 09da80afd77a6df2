import { Readable } from 'node:stream';
import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentOrigin, RequestOrigin } from '@vigia/audit';
import { Authenticated, CurrentOrganisation, OrganisationPrincipal } from '@vigia/auth';
import { UserRole } from '@vigia/database';
import { AuditService } from './audit.service';
import { AuditPageDto, AuditQueryDto, ListAuditQueryDto } from './dto/audit.dto';

const NDJSON = 'application/x-ndjson';

@ApiTags('audit')
@Controller('api/v1/audit')
@Authenticated({ roles: [UserRole.Coordinator, UserRole.OrgAdmin] })
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({
    summary: 'The audit log, newest first',
    description: 'Coordinators see every organisation’s events; organisation admins only their own organisation’s.',
  })
  @ApiOkResponse({ type: AuditPageDto })
  list(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @Query() query: ListAuditQueryDto,
  ): Promise<AuditPageDto> {
    return this.audit.list(principal, query);
  }

  @Get('export')
  @ApiOperation({
    summary: 'Every matching audit event as JSON lines, newest first',
    description: 'The same filters and visibility as the list, without a limit; one event (as in the list) per line.',
  })
  @ApiProduces(NDJSON)
  @ApiOkResponse({ description: 'One JSON event per line' })
  async export(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @CurrentOrigin() origin: RequestOrigin,
    @Query() query: AuditQueryDto,
  ): Promise<StreamableFile> {
    const lines = await this.audit.exportLines(principal, query, origin);
    return new StreamableFile(Readable.from(lines), {
      type: NDJSON,
      disposition: 'attachment; filename="audit.ndjson"',
    });
  }
}
