import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ErrorCode, VigiaException } from '@vigia/common';
import { ApiKeyRepository, OrganisationStatus } from '@vigia/database';
import type { Request } from 'express';
import { Strategy } from 'passport-custom';
import { hashApiKey } from './api-key-secret';
import { OrganisationPrincipal } from './organisation-principal';
import { isScope } from './scopes';

export const API_KEY_HEADER = 'x-api-key';
export const API_KEY_STRATEGY = 'api-key';
/** Authenticates machine clients by the `X-Api-Key` header against the stored SHA-256 of the key. */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(Strategy, API_KEY_STRATEGY) {
  constructor(private readonly apiKeys: ApiKeyRepository) {
    super();
  }

  async validate(request: Request): Promise<OrganisationPrincipal> {
    const secret = request.header(API_KEY_HEADER);
    if (!secret) throw new VigiaException(ErrorCode.Unauthenticated, 'Missing X-Api-Key header');
    const holder = await this.apiKeys.findLiveByHash(hashApiKey(secret));
    if (!holder) throw new VigiaException(ErrorCode.Unauthenticated, 'Unknown, revoked or expired API key');
    if (holder.organisationStatus !== OrganisationStatus.Active) {
      throw new VigiaException(ErrorCode.Forbidden, `Organisation is ${holder.organisationStatus}, not active`);
    }
    return {
      organisationId: holder.organisationId,
      organisationName: holder.organisationName,
      organisationKind: holder.organisationKind,
      apiKeyId: holder.keyId,
      scopes: holder.scopes.filter(isScope),
    };
  }
}
