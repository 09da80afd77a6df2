import { OrganisationKind, UserRole } from '@vigia/database';
import { mustEnrolSecondFactor } from './access-token.strategy';
import { checkRequirement } from './authentication.guard';
import { OrganisationPrincipal } from './organisation-principal';
import { ALL_SCOPES } from './scopes';

const person = (secondFactorMissing: boolean): OrganisationPrincipal => ({
  organisationId: 'org',
  organisationName: 'CSIRT',
  organisationKind: OrganisationKind.NationalCsirt,
  scopes: ALL_SCOPES,
  userId: 'user',
  role: UserRole.OrgAdmin,
  secondFactorMissing,
});

describe('second factor requirement', () => {
  it('is required of coordinators and org-admins by default, of everyone when configured', () => {
    expect(mustEnrolSecondFactor(UserRole.Coordinator, 'privileged')).toBe(true);
    expect(mustEnrolSecondFactor(UserRole.OrgAdmin, 'privileged')).toBe(true);
    expect(mustEnrolSecondFactor(UserRole.Analyst, 'privileged')).toBe(false);
    expect(mustEnrolSecondFactor(UserRole.Analyst, 'everyone')).toBe(true);
  });

  it('refuses a person who must enrol everywhere but where the route allows it', () => {
    expect(() => checkRequirement(person(true), { people: true })).toThrow(/Enrol a second factor first/);
    expect(() => checkRequirement(person(true), { scopes: [] })).toThrow(/Enrol a second factor first/);
    expect(() => checkRequirement(person(true), { people: true, beforeSecondFactor: true })).not.toThrow();
    expect(() => checkRequirement(person(false), { people: true })).not.toThrow();
  });
});
