/**
 * What `details` may hold: plain values, lists and records of them (a change's before and after), never secrets,
 * tokens, bodies or query strings.
 */
export type AuditDetailValue =
  string | number | boolean | null | readonly AuditDetailValue[] | { readonly [key: string]: AuditDetailValue };

/** An audit event to append. */
export interface NewAuditEvent {
  /** The organisation acted on, or on whose behalf the actor acted. */
  organisationId: string;
  action: string;
  actorUserId?: string | null;
  actorApiKeyId?: string | null;
  actorOrganisationId?: string | null;
  targetType?: string | null;
  targetId?: string | null;
  /** An IP address (inet). */
  address?: string | null;
  requestId?: string | null;
  details?: Readonly<Record<string, AuditDetailValue>>;
}

/** An audit event as stored. */
export interface AuditEventRow {
  /** bigint, as a string. */
  id: string;
  occurred_at: Date;
  organisation_id: string;
  actor_user_id: string | null;
  actor_api_key_id: string | null;
  actor_organisation_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  address: string | null;
  request_id: string | null;
  details: Record<string, unknown>;
}

/** Which events to read; every filter is optional and they all apply. */
export interface AuditFilter {
  organisationId?: string;
  /** `subscription.` matches every subscription event; a full action matches that action. */
  actionPrefix?: string;
  /** A user or an API key that acted. */
  actorId?: string;
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
}
