import type { OrganisationPrincipal } from '@vigia/auth';
import { UserRole, UserSessionEntity } from '@vigia/database';
import { CurrentPersonDto, SessionDto, SessionTokensDto } from './dto/auth-answers.dto';
import type { IssuedSession } from './auth.service';

export const toSessionDto = (session: UserSessionEntity, currentSessionId?: string): SessionDto => ({
  id: session.id,
  created_at: session.createdAt.toISOString(),
  last_used_at: session.lastUsedAt.toISOString(),
  expires_at: session.expiresAt.toISOString(),
  user_agent: session.userAgent,
  ip_address: session.ipAddress,
  current: session.id === currentSessionId,
});

/** In cookie mode the tokens stay out of the body, where page scripts could read them. */
export const toSessionTokensDto = (issued: IssuedSession, cookieMode: boolean): SessionTokensDto => ({
  ...(cookieMode ? {} : { access_token: issued.accessToken }),
  token_type: 'Bearer',
  expires_in: issued.expiresIn,
  ...(cookieMode ? {} : { refresh_token: issued.refreshToken }),
  session_id: issued.sessionId,
});

export const toCurrentPersonDto = (principal: OrganisationPrincipal): CurrentPersonDto => ({
  user_id: principal.userId ?? '',
  role: principal.role ?? UserRole.Analyst,
  organisation_id: principal.organisationId,
  organisation_name: principal.organisationName,
  second_factor_missing: principal.secondFactorMissing === true,
});
