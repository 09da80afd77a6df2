import { SetMetadata, UseGuards, applyDecorators } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiForbiddenResponse,
  ApiSecurity,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AuthenticationGuard } from './authentication.guard';
import { AUTH_REQUIREMENT, AuthRequirement } from './auth-requirement';

/** Declares what the route needs and enforces it (one guard for API keys and people's access tokens). */
export function Authenticated(requirement: Omit<AuthRequirement, 'public'> = {}): MethodDecorator & ClassDecorator {
  const who = [
    requirement.roles?.length ? `roles: ${requirement.roles.join(', ')}` : undefined,
    requirement.scopes?.length ? `scopes: ${requirement.scopes.join(', ')}` : undefined,
    requirement.people ? 'signed-in people' : undefined,
  ].filter(Boolean);
  return applyDecorators(
    SetMetadata(AUTH_REQUIREMENT, requirement),
    UseGuards(AuthenticationGuard),
    ...(requirement.roles?.length || requirement.people ? [] : [ApiSecurity('api-key')]),
    ApiBearerAuth('access-token'),
    ApiCookieAuth('session'),
    ApiUnauthorizedResponse({ description: 'No valid API key or access token' }),
    ApiForbiddenResponse({ description: `The caller lacks what the route needs (${who.join('; ') || 'any caller'})` }),
  );
}

export { Public } from '@vigia/common';
