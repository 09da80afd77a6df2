import { OrganisationKind, UserRole } from '@vigia/database';
import { Scope } from './scopes';

/**
 * Who is calling: a person signed in (`userId`, `role`) or a machine with an API key (`apiKeyId`), always on behalf
 * of one organisation, with the scopes it may use.
 */
export interface OrganisationPrincipal {
  organisationId: string;
  organisationName: string;
  organisationKind: OrganisationKind;
  scopes: readonly Scope[];
  apiKeyId?: string;
  userId?: string;
  role?: UserRole;
  /** The signed-in session (its refresh-token family), for people. */
  sessionId?: string;
  /** A person who must enrol a second factor first (`AUTH_REQUIRE_SECOND_FACTOR`) and has not yet. */
  secondFactorMissing?: boolean;
}
