import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { ErrorCode, VigiaException } from '@vigia/common';
import { ACCESS_TOKEN_STRATEGY } from './access-token';
import { API_KEY_STRATEGY } from './api-key.strategy';
import { AUTH_REQUIREMENT, AuthRequirement } from './auth-requirement';
import { OrganisationPrincipal } from './organisation-principal';
import { PRESENTED_API_KEY, RequestWithApiKey, presentedApiKey } from './presented-api-key';

/** A passport guard for one strategy that fails with the strategy's own error (its reason), not a generic 401. */
const strategyGuard = (strategy: string): CanActivate =>
  new (class extends AuthGuard(strategy) {
    override handleRequest<T>(error: unknown, principal: T): T {
      if (error) throw error;
      return principal;
    }
  })();
const apiKeyGuard = strategyGuard(API_KEY_STRATEGY);
const accessTokenGuard = strategyGuard(ACCESS_TOKEN_STRATEGY);

/**
 * The one authentication and authorisation check: the caller is a machine (an API key: `X-Api-Key`, `Bearer` with a
 * key, HTTP Basic where the route accepts it) or a person (access token in `Authorization: Bearer` or the session
 * cookie), then must meet the route's `@Authenticated` requirement:
 * 401 when it cannot be identified, 403 when it lacks a role or scope. Which organisation's data it may touch is the
 * services' ownership policy (another organisation's resource answers 404).
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const requirement = this.reflector.getAllAndOverride<AuthRequirement | undefined>(AUTH_REQUIREMENT, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!requirement) throw new Error('A route guarded by AuthenticationGuard declares no requirement');
    if (requirement.public) return true;
    const request = context.switchToHttp().getRequest<RequestWithApiKey & { user?: OrganisationPrincipal }>();
    const apiKey = presentedApiKey(request, requirement.basicApiKey === true);
    if (apiKey) request[PRESENTED_API_KEY] = apiKey;
    const guard = apiKey ? apiKeyGuard : accessTokenGuard;
    await guard.canActivate(context);
    const principal = request.user;
    if (!principal) throw new VigiaException(ErrorCode.Unauthenticated, 'Missing access token or X-Api-Key header');
    checkRequirement(principal, requirement);
    return true;
  }
}

/** Throws 403 naming what the caller lacks. */
export function checkRequirement(principal: OrganisationPrincipal, requirement: AuthRequirement): void {
  if (principal.secondFactorMissing && !requirement.beforeSecondFactor) {
    throw new VigiaException(
      ErrorCode.Forbidden,
      'Enrol a second factor first: POST /api/v1/auth/totp, then POST /api/v1/auth/totp/confirm',
    );
  }
  if ((requirement.people || requirement.roles?.length) && !principal.userId) {
    throw new VigiaException(ErrorCode.Forbidden, 'Only signed-in people may do this, not API keys');
  }
  if (requirement.roles?.length && !(principal.role && requirement.roles.includes(principal.role))) {
    throw new VigiaException(ErrorCode.Forbidden, `Only ${requirement.roles.join(' or ')} may do this`);
  }
  const missing = (requirement.scopes ?? []).filter((scope) => !principal.scopes.includes(scope));
  if (missing.length > 0) {
    throw new VigiaException(ErrorCode.Forbidden, `The API key lacks the scope ${missing.join(', ')}`);
  }
}
