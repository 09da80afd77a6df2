import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentOrigin, RequestOrigin } from '@vigia/audit';
import { Authenticated, CurrentOrganisation, OrganisationPrincipal } from '@vigia/auth';
import { UserRole } from '@vigia/database';
import { ApiKeyListDto, CreateApiKeyDto, CreatedApiKeyDto } from './dto/api-key.dto';
import { ApiKeysService } from './api-keys.service';

const uuid = new ParseUUIDPipe();

@ApiTags('api-keys')
@Controller('api/v1/organisations/:id/api-keys')
@Authenticated({ roles: [UserRole.Coordinator, UserRole.OrgAdmin] })
@ApiNotFoundResponse({ description: 'No such organisation or key, or not the caller’s' })
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Post()
  @ApiOperation({
    summary: 'Create an API key with the given scopes',
    description: 'The answer shows the secret once; only its hash is kept.',
  })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  create(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @CurrentOrigin() origin: RequestOrigin,
    @Param('id', uuid) organisationId: string,
    @Body() dto: CreateApiKeyDto,
  ): Promise<CreatedApiKeyDto> {
    return this.apiKeys.create(principal, origin, organisationId, dto);
  }

  @Get()
  @ApiOperation({ summary: 'The organisation’s API keys, revoked and expired ones too (no secrets)' })
  @ApiOkResponse({ type: ApiKeyListDto })
  async list(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @Param('id', uuid) organisationId: string,
  ): Promise<ApiKeyListDto> {
    return { items: await this.apiKeys.list(principal, organisationId) };
  }

  @Delete(':keyId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Revoke an API key at once' })
  @ApiNoContentResponse({ description: 'Revoked: the key’s next request answers 401' })
  revoke(
    @CurrentOrganisation() principal: OrganisationPrincipal,
    @CurrentOrigin() origin: RequestOrigin,
    @Param('id', uuid) organisationId: string,
    @Param('keyId', uuid) keyId: string,
  ): Promise<void> {
    return this.apiKeys.revoke(principal, origin, organisationId, keyId);
  }
}
