import { Body, Controller, Get, Param, ParseUUIDPipe, Put, Query, StreamableFile } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentOrigin, RequestOrigin } from '@vigia/audit';
import { Authenticated, CurrentOrganisation, OrganisationPrincipal, Scope } from '@vigia/auth';
import { UserRole } from '@vigia/database';
import { DirectoryEntryDto, DirectoryPageDto, LookupAnswerDto } from './dto/directory-answers.dto';
import { PutDirectoryEntryDto } from './dto/directory-input.dto';
import {
  DirectoryExportFormat,
  ExportDirectoryQueryDto,
  LookupQueryDto,
  SearchDirectoryQueryDto,
} from './dto/directory-query.dto';
import { DirectoryService } from './directory.service';

const uuid = new ParseUUIDPipe();

@ApiTags('directory')
@Controller('api/v1/directory')
export class DirectoryController {
  constructor(private readonly directory: DirectoryService) {}

  @Get()
  @Authenticated({ scopes: [Scope.DirectoryRead] })
  @ApiOperation({ summary: 'Search the directory of active members by country, sector, kind and name' })
  @ApiOkResponse({ type: DirectoryPageDto })
  search(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @Query() query: SearchDirectoryQueryDto,
  ): Promise<DirectoryPageDto> {
    return this.directory.search(principal, query);
  }

  @Get('lookup')
  @Authenticated({ scopes: [Scope.DirectoryRead] })
  @ApiOperation({
    summary: 'Who is responsible for this? An IP address, a domain or an AS number',
    description:
      'The most specific network (IPv4 and IPv6), the longest domain suffix (IDN or punycode) or the AS number ' +
      'wins; every organisation holding that match is answered with its 24/7 contacts.',
  })
  @ApiOkResponse({ type: LookupAnswerDto })
  @ApiBadRequestResponse({ description: 'Not an address, a domain name or an AS number (with the reason)' })
  lookup(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @Query() query: LookupQueryDto,
  ): Promise<LookupAnswerDto> {
    return this.directory.lookup(principal, query.value);
  }

  @Get('export')
  @Authenticated({ scopes: [Scope.DirectoryRead] })
  @ApiOperation({ summary: 'The whole directory as JSON, or as vCard 4.0 (one card per 24/7 contact)' })
  @ApiProduces('application/json', 'text/vcard')
  @ApiOkResponse({ description: 'A JSON document or a vCard file' })
  async export(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @CurrentOrigin() origin: RequestOrigin,
    @Query() query: ExportDirectoryQueryDto,
  ): Promise<StreamableFile> {
    const exported = await this.directory.export(principal, origin, query.format ?? DirectoryExportFormat.Json);
    return new StreamableFile(Buffer.from(exported.body, 'utf8'), {
      type: exported.contentType,
      disposition: `attachment; filename="${exported.filename}"`,
    });
  }

  @Get(':organisationId')
  @Authenticated({ scopes: [Scope.DirectoryRead] })
  @ApiOperation({ summary: 'One organisation’s directory entry' })
  @ApiOkResponse({ type: DirectoryEntryDto })
  @ApiNotFoundResponse({ description: 'No such active organisation' })
  get(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @Param('organisationId', uuid) organisationId: string,
  ): Promise<DirectoryEntryDto> {
    return this.directory.get(principal, organisationId);
  }

  @Put(':organisationId')
  @Authenticated({ roles: [UserRole.OrgAdmin, UserRole.Coordinator] })
  @ApiOperation({
    summary: 'Replace an organisation’s directory entry (its org-admins; the coordinator for any)',
    description:
      'Profile, 24/7 contacts and constituency together; what is left out is cleared, except a contact’s ' +
      'OpenPGP key, which stays when `pgp_key` is left out. Every field is validated with its reason.',
  })
  @ApiOkResponse({ type: DirectoryEntryDto })
  @ApiBadRequestResponse({ description: 'Invalid fields, each with its path and reason' })
  @ApiNotFoundResponse({ description: 'No such organisation, or not the caller’s' })
  put(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @CurrentOrigin() origin: RequestOrigin,
    @Param('organisationId', uuid) organisationId: string,
    @Body() dto: PutDirectoryEntryDto,
  ): Promise<DirectoryEntryDto> {
    return this.directory.put(principal, origin, organisationId, dto);
  }
}
