import { SetMetadata, UseGuards, UseInterceptors, applyDecorators } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiForbiddenResponse,
  ApiSecurity,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AuthenticationGuard } from './authentication.guard';
import { AUTH_REQUIREMENT, AuthRequirement } from './auth-requirement';
import { WritePositionInterceptor } from './write-position.interceptor';

/**
 * Declares what the route needs and enforces it (one guard for API keys and people's access tokens); a route that may
 * write records the caller's write position for the read replica (`WritePositionInterceptor`).
 */
export function Authenticated(requirement: Omit<AuthRequirement, 'public'> = {}): MethodDecorator & ClassDecorator {
  const who = [
    requirement.roles?.length ? `roles: ${requirement.roles.join(', ')}` : undefined,
    requirement.scopes?.length ? `scopes: ${requirement.scopes.join(', ')}` : undefined,
    requirement.people ? 'signed-in people' : undefined,
  ].filter(Boolean);
  return applyDecorators(
    SetMetadata(AUTH_REQUIREMENT, requirement),
    UseGuards(AuthenticationGuard),
    UseInterceptors(WritePositionInterceptor),
    ...(requirement.roles?.length || requirement.people ? [] : [ApiSecurity('api-key')]),
    ApiBearerAuth('access-token'),
    ApiCookieAuth('session'),
    ApiUnauthorizedResponse({ description: 'No valid API key or access token' }),
    ApiForbiddenResponse({ description: `The caller lacks what the route needs (${who.join('; ') || 'any caller'})` }),
  );
}

export { Public } from '@vigia/common';
