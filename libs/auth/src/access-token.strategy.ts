import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { PassportStrategy } from '@nestjs/passport';
import { ErrorCode, VigiaException } from '@vigia/common';
import { APP_CONFIG, AppConfig } from '@vigia/config';
import { SessionRepository, UserRole } from '@vigia/database';
import type { Request } from 'express';
import { Strategy } from 'passport-custom';
import {
  ACCESS_TOKEN_COOKIE,
  ACCESS_TOKEN_STRATEGY,
  AccessTokenClaims,
  CSRF_COOKIE,
  CSRF_HEADER,
} from './access-token';
import { OrganisationPrincipal } from './organisation-principal';
import { ROLE_SCOPES } from './scopes';
import { csrfTokensMatch, isSafeMethod } from './session-secrets';

// Two uuids back to back: claims are checked before they reach a uuid column, which would fail on anything else.
const UUID_PART = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const UUID = new RegExp(`^${UUID_PART}${UUID_PART}$`, 'i');

const cookiesOf = (request: Request): Record<string, string> | undefined =>
  (request as Request & { cookies?: Record<string, string> }).cookies;

/** The access token a request carries, and where: `Authorization: Bearer …` (scripts) or the cookie (browsers). */
export function presentedAccessToken(request: Request): { token: string; fromCookie: boolean } | undefined {
  const header = request.header('authorization');
  if (header?.startsWith('Bearer ')) {
    const token = header.slice('Bearer '.length).trim();
    return token ? { token, fromCookie: false } : undefined;
  }
  const cookie = cookiesOf(request)?.[ACCESS_TOKEN_COOKIE];
  return cookie ? { token: cookie, fromCookie: true } : undefined;
}

/**
 * A browser sends cookies with requests other sites make it send: a change authenticated by the cookie must also
 * carry the CSRF cookie's value in `X-CSRF-Token`, which only our own pages can read.
 */
export function checkCsrf(request: Request): void {
  if (isSafeMethod(request.method)) return;
  if (!csrfTokensMatch(request.header(CSRF_HEADER), cookiesOf(request)?.[CSRF_COOKIE])) {
    throw new VigiaException(
      ErrorCode.Forbidden,
      'Missing or wrong X-CSRF-Token header: with the session cookie it must repeat the vigia_csrf cookie',
    );
  }
}

/** Coordinators and org-admins act for the network or an organisation: they must have a second factor. */
export const mustEnrolSecondFactor = (role: UserRole, required: 'privileged' | 'everyone'): boolean =>
  required === 'everyone' || role === UserRole.Coordinator || role === UserRole.OrgAdmin;

/**
 * Authenticates people by their short-lived access token (HS256 JWT). The user and the session are read on every
 * request, so a disabled user, a suspended organisation or a revoked session is refused at once, whatever the
 * token's expiry.
 */
@Injectable()
export class AccessTokenStrategy extends PassportStrategy(Strategy, ACCESS_TOKEN_STRATEGY) {
  constructor(
    private readonly jwt: JwtService,
    private readonly sessions: SessionRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  async validate(request: Request): Promise<OrganisationPrincipal> {
    const presented = presentedAccessToken(request);
    if (!presented) throw new VigiaException(ErrorCode.Unauthenticated, 'Missing access token or X-Api-Key header');
    let claims: AccessTokenClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessTokenClaims>(presented.token, { algorithms: ['HS256'] });
    } catch {
      throw new VigiaException(ErrorCode.Unauthenticated, 'Invalid or expired access token');
    }
    if (typeof claims.sub !== 'string' || typeof claims.sid !== 'string' || !UUID.test(claims.sub + claims.sid)) {
      throw new VigiaException(ErrorCode.Unauthenticated, 'Invalid or expired access token');
    }
    if (presented.fromCookie) checkCsrf(request);
    const user = await this.sessions.findActiveHolder(claims.sub, claims.sid);
    if (!user) {
      throw new VigiaException(
        ErrorCode.Unauthenticated,
        'The session has ended, the account is disabled or its organisation is not active',
      );
    }
    return {
      organisationId: user.organisationId,
      organisationName: user.organisationName,
      organisationKind: user.organisationKind,
      userId: user.userId,
      role: user.role,
      sessionId: claims.sid,
      scopes: ROLE_SCOPES[user.role],
      secondFactorMissing: !user.secondFactor && mustEnrolSecondFactor(user.role, this.config.auth.requireSecondFactor),
    };
  }
}
