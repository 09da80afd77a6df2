import { Injectable, Logger } from '@nestjs/common';
import { AuditAction, AuditLog, AuditTargetType, RequestOrigin } from '@vigia/audit';
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
    private readonly audit: AuditLog,
  ) {}

  // Audit: creating and revoking are recorded in the transaction that makes the change, under the key's organisation.

  /** A new key; its secret is answered this once and never stored, logged or audited. */
  async create(
    principal: OrganisationPrincipal,
    origin: RequestOrigin,
    organisationId: string,
    dto: CreateApiKeyDto,
  ): Promise<CreatedApiKeyDto> {
    const organisation = await this.access.find(principal, organisationId);
    const key = generateApiKey();
    const created = await this.apiKeys.create(
      {
        organisationId: organisation.id,
        name: dto.name,
        prefix: key.prefix,
        keyHash: key.hash,
        scopes: [...dto.scopes],
        createdBy: principal.userId ?? null,
        expiresAt: dto.expires_at ? new Date(dto.expires_at) : null,
      },
      (stored) =>
        this.audit.event(
          {
            action: AuditAction.ApiKeyCreated,
            organisationId: organisation.id,
            targetType: AuditTargetType.ApiKey,
            targetId: stored.id,
            details: {
              name: stored.name,
              scopes: stored.scopes,
              expires_at: stored.expiresAt ? stored.expiresAt.toISOString() : null,
            },
          },
          principal,
          origin,
        ),
    );
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

  /** Revokes the key now: its next request is refused. Revoking a revoked key changes (and records) nothing. */
  async revoke(
    principal: OrganisationPrincipal,
    origin: RequestOrigin,
    organisationId: string,
    keyId: string,
  ): Promise<void> {
    const organisation = await this.access.find(principal, organisationId);
    const revoked = await this.apiKeys.revokeOwned(organisation.id, keyId, (key) =>
      this.audit.event(
        {
          action: AuditAction.ApiKeyRevoked,
          organisationId: organisation.id,
          targetType: AuditTargetType.ApiKey,
          targetId: key.id,
          details: { name: key.name },
        },
        principal,
        origin,
      ),
    );
    if (!revoked) throw new VigiaException(ErrorCode.NotFound, `No API key ${keyId} in organisation ${organisationId}`);
    this.logger.log({ keyId, organisationId, by: principal.userId }, 'API key revoked');
  }
}
