import { Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { API_KEY_STRATEGY } from './api-key.strategy';

/** Requires a valid `X-Api-Key`; the request's `user` becomes the calling `OrganisationPrincipal`. */
@Injectable()
export class ApiKeyGuard extends AuthGuard(API_KEY_STRATEGY) {
  override handleRequest<T>(error: unknown, principal: T): T {
    if (error) throw error;
    return principal;
  }
}
