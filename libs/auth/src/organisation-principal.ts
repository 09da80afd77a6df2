import { OrganisationKind } from '@vigia/database';

/** Who is calling: the organisation behind an API key (or, later, a logged-in user's organisation). */
export interface OrganisationPrincipal {
  organisationId: string;
  organisationName: string;
  organisationKind: OrganisationKind;
  apiKeyId?: string;
  userId?: string;
}
