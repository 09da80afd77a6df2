import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ErrorCode, VigiaException } from '@vigia/common';
import { ApiKeyRepository, OrganisationStatus } from '@vigia/database';
import type { Request } from 'express';
import { Strategy } from 'passport-custom';
import { hashApiKey } from './api-key-secret';
import { OrganisationPrincipal } from './organisation-principal';
import { API_KEY_HEADER, PRESENTED_API_KEY, RequestWithApiKey } from './presented-api-key';
import { isScope } from './scopes';

export { API_KEY_HEADER } from './presented-api-key';
export const API_KEY_STRATEGY = 'api-key';
/**
 * Authenticates machine clients by their API key (`X-Api-Key`, or the form the guard found: `presentedApiKey`)
 * against the stored SHA-256 of the key.
 */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(Strategy, API_KEY_STRATEGY) {
  constructor(private readonly apiKeys: ApiKeyRepository) {
    super();
  }

  async validate(request: Request): Promise<OrganisationPrincipal> {
    const presented = (request as RequestWithApiKey)[PRESENTED_API_KEY];
    const secret = presented?.secret ?? request.header(API_KEY_HEADER);
    if (!secret) throw new VigiaException(ErrorCode.Unauthenticated, 'Missing X-Api-Key header');
    const holder = await this.apiKeys.findLiveByHash(hashApiKey(secret));
    if (!holder) throw new VigiaException(ErrorCode.Unauthenticated, 'Unknown, revoked or expired API key');
    const username = presented?.username;
    if (username !== undefined && username !== holder.keyId && username !== holder.prefix) {
      throw new VigiaException(ErrorCode.Unauthenticated, "The user name is neither the API key's id nor its prefix");
    }
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
