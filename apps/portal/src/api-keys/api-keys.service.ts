import { Injectable, Logger } from '@nestjs/common';
import { OrganisationPrincipal, generateApiKey } from '@vigia/auth';
import { ErrorCode, VigiaException } from '@vigia/common';
import { ApiKeyRepository } from '@vigia/database';
import { OrganisationAccess } from '../organisations/organisation-access.service';
import { ApiKeyDto, CreateApiKeyDto, CreatedApiKeyDto } from './dto/api-key.dto';
import { toApiKeyDto } from './api-key.mapper';

/** Organisations' API keys: org-admins manage their own, coordinators any. */
@Injectable()
export class ApiKeysService {
  private readonly logger = new Logger(ApiKeysService.name);

  constructor(
    private readonly access: OrganisationAccess,
    private readonly apiKeys: ApiKeyRepository,
  ) {}

  /** A new key; its secret is answered this once and never stored or logged. */
  async create(
    principal: OrganisationPrincipal,
    organisationId: string,
    dto: CreateApiKeyDto,
  ): Promise<CreatedApiKeyDto> {
    const organisation = await this.access.find(principal, organisationId);
    const key = generateApiKey();
    const created = await this.apiKeys.create({
      organisationId: organisation.id,
      name: dto.name,
      prefix: key.prefix,
      keyHash: key.hash,
      scopes: [...dto.scopes],
      createdBy: principal.userId ?? null,
      expiresAt: dto.expires_at ? new Date(dto.expires_at) : null,
    });
    this.logger.log(
      { keyId: created.id, prefix: created.prefix, organisationId, scopes: created.scopes, by: principal.userId },
      'API key created',
    );
    return { ...toApiKeyDto(created), secret: key.secret };
  }

  async list(principal: OrganisationPrincipal, organisationId: string): Promise<ApiKeyDto[]> {
    const organisation = await this.access.find(principal, organisationId);
    return (await this.apiKeys.listOwned(organisation.id)).map(toApiKeyDto);
  }

  /** Revokes the key now: its next request is refused. Revoking a revoked key changes nothing. */
  async revoke(principal: OrganisationPrincipal, organisationId: string, keyId: string): Promise<void> {
    const organisation = await this.access.find(principal, organisationId);
    const revoked = await this.apiKeys.revokeOwned(organisation.id, keyId);
    if (!revoked) throw new VigiaException(ErrorCode.NotFound, `No API key ${keyId} in organisation ${organisationId}`);
    this.logger.log({ keyId, organisationId, by: principal.userId }, 'API key revoked');
  }
}
