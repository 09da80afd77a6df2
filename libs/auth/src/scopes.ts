import { UserRole } from '@vigia/database';

/** What a caller may do. API keys carry the scopes they were given; people get those of their role. */
export enum Scope {
  ReportsWrite = 'reports:write',
  IndicatorsRead = 'indicators:read',
  SubscriptionsManage = 'subscriptions:manage',
  StreamRead = 'stream:read',
  TaxiiRead = 'taxii:read',
  TaxiiWrite = 'taxii:write',
  DirectoryRead = 'directory:read',
}

export const ALL_SCOPES: readonly Scope[] = Object.values(Scope);

export const isScope = (value: string): value is Scope => (ALL_SCOPES as readonly string[]).includes(value);

/** Every role works with its organisation's data; what else a role may do is a role requirement, not a scope. */
export const ROLE_SCOPES: Readonly<Record<UserRole, readonly Scope[]>> = {
  [UserRole.Analyst]: ALL_SCOPES,
  [UserRole.OrgAdmin]: ALL_SCOPES,
  [UserRole.Coordinator]: ALL_SCOPES,
};
