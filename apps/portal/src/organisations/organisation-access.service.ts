import { Injectable } from '@nestjs/common';
import { OrganisationPrincipal, mayAccessOrganisation, organisationNotFound } from '@vigia/auth';
import { OrganisationEntity, OrganisationRepository } from '@vigia/database';

/**
 * The one ownership check of the organisation-scoped features (organisations, users, API keys): a coordinator
 * reaches every organisation, anyone else only their own; another organisation answers 404 like a missing one.
 */
@Injectable()
export class OrganisationAccess {
  constructor(private readonly organisations: OrganisationRepository) {}

  /** The organisation, for services only; throws 404 when it is missing or not the caller's. */
  async find(principal: OrganisationPrincipal, organisationId: string): Promise<OrganisationEntity> {
    const organisation = mayAccessOrganisation(principal, organisationId)
      ? await this.organisations.findById(organisationId)
      : null;
    if (!organisation) throw organisationNotFound(organisationId);
    return organisation;
  }
}
