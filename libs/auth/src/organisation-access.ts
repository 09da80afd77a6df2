import { ErrorCode, VigiaException } from '@vigia/common';
import { UserRole } from '@vigia/database';
import { OrganisationPrincipal } from './organisation-principal';

/** The network's coordinators act on every organisation. */
export const isCoordinator = (principal: OrganisationPrincipal): boolean => principal.role === UserRole.Coordinator;

/** Whether the caller may see or manage this organisation's data: its own, or any for a coordinator. */
export const mayAccessOrganisation = (principal: OrganisationPrincipal, organisationId: string): boolean =>
  isCoordinator(principal) || principal.organisationId === organisationId;

/** The same answer for an organisation that does not exist and one the caller may not see: existence never leaks. */
export const organisationNotFound = (organisationId: string): VigiaException =>
  new VigiaException(ErrorCode.NotFound, `No organisation ${organisationId}`);

/** Throws 404 unless the caller may access the organisation (see `mayAccessOrganisation`). */
export function assertOrganisationAccess(principal: OrganisationPrincipal, organisationId: string): void {
  if (!mayAccessOrganisation(principal, organisationId)) throw organisationNotFound(organisationId);
}
