import { UserRole } from '@vigia/database';
import { Scope } from './scopes';

export { AUTH_REQUIREMENT } from '@vigia/common';

/**
 * What a route needs of its caller. Scopes: an API key must carry them all, a person's role grants them. Roles: only
 * people with one of these roles (an API key never has a role). `people: true`: a signed-in person, any role.
 * `public: true`: anyone, signed in or not (login, health). Every route declares one (a test checks).
 */
export interface AuthRequirement {
  scopes?: readonly Scope[];
  roles?: readonly UserRole[];
  people?: boolean;
  public?: boolean;
  /** Open to people who must still enrol their second factor (enrolment itself, their sessions, sign-out). */
  beforeSecondFactor?: boolean;
  /**
   * Also accept an API key the way TAXII clients send one: HTTP Basic (user = the key's id or prefix, password = the
   * key) or the bare key after `Basic`. Only for routes whose writes need a non-form media type (a browser that
   * remembers Basic credentials cannot forge them).
   */
  basicApiKey?: boolean;
}
