import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { PassportStrategy } from '@nestjs/passport';
import { ErrorCode, VigiaException } from '@vigia/common';
import { UserRepository } from '@vigia/database';
import type { Request } from 'express';
import { Strategy } from 'passport-custom';
import { ACCESS_TOKEN_COOKIE, ACCESS_TOKEN_STRATEGY, AccessTokenClaims } from './access-token';
import { OrganisationPrincipal } from './organisation-principal';
import { ROLE_SCOPES } from './scopes';

/** The access token a request carries: `Authorization: Bearer …` (scripts) or the session cookie (browsers). */
export function accessTokenOf(request: Request): string | undefined {
  const header = request.header('authorization');
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim() || undefined;
  const cookies = (request as Request & { cookies?: Record<string, string> }).cookies;
  return cookies?.[ACCESS_TOKEN_COOKIE] || undefined;
}

/**
 * Authenticates people by their short-lived access token (HS256 JWT). The user is read on every request, so a
 * disabled user or a suspended organisation is refused at once, whatever the token's expiry.
 */
@Injectable()
export class AccessTokenStrategy extends PassportStrategy(Strategy, ACCESS_TOKEN_STRATEGY) {
  constructor(
    private readonly jwt: JwtService,
    private readonly users: UserRepository,
  ) {
    super();
  }

  async validate(request: Request): Promise<OrganisationPrincipal> {
    const token = accessTokenOf(request);
    if (!token) throw new VigiaException(ErrorCode.Unauthenticated, 'Missing access token or X-Api-Key header');
    let claims: AccessTokenClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessTokenClaims>(token, { algorithms: ['HS256'] });
    } catch {
      throw new VigiaException(ErrorCode.Unauthenticated, 'Invalid or expired access token');
    }
    const user = await this.users.findActive(claims.sub);
    if (!user)
      throw new VigiaException(ErrorCode.Unauthenticated, 'The account is disabled or its organisation is not active');
    return {
      organisationId: user.organisationId,
      organisationName: user.organisationName,
      organisationKind: user.organisationKind,
      userId: user.userId,
      role: user.role,
      sessionId: claims.sid,
      scopes: ROLE_SCOPES[user.role],
    };
  }
}
