import { OrganisationKind, UserRole } from '@vigia/database';
import { ALL_SCOPES } from './scopes';
import { OrganisationPrincipal } from './organisation-principal';
import { assertOrganisationAccess, mayAccessOrganisation } from './organisation-access';

const principal = (role?: UserRole): OrganisationPrincipal => ({
  organisationId: 'own',
  organisationName: 'Own',
  organisationKind: OrganisationKind.NationalCsirt,
  scopes: ALL_SCOPES,
  ...(role ? { userId: 'u', role } : { apiKeyId: 'k' }),
});

describe('organisation access policy', () => {
  it('lets everyone reach their own organisation and only coordinators reach others', () => {
    for (const role of [UserRole.Analyst, UserRole.OrgAdmin, undefined]) {
      expect(mayAccessOrganisation(principal(role), 'own')).toBe(true);
      expect(mayAccessOrganisation(principal(role), 'other')).toBe(false);
    }
    expect(mayAccessOrganisation(principal(UserRole.Coordinator), 'other')).toBe(true);
  });

  it('answers another organisation as not found, never forbidden', () => {
    expect(() => assertOrganisationAccess(principal(UserRole.OrgAdmin), 'other')).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND', message: 'No organisation other' }),
    );
  });
});
