import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One thing that happened, for the audit log: append-only (a trigger refuses UPDATE, DELETE and TRUNCATE). Written and
 * read through `AuditRepository` only; `details` never holds secrets, tokens, request bodies or query strings.
 */
@Entity({ name: 'audit_events' })
@Index('IDX_audit_events_organisation', ['organisationId', 'id'])
export class AuditEventEntity {
  /** bigint: pg answers it as a string. */
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column({ name: 'occurred_at', type: 'timestamptz', default: () => 'now()' })
  occurredAt: Date;

  /** The organisation acted on, or on whose behalf the actor acted. */
  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @Column({ name: 'actor_user_id', type: 'uuid', nullable: true })
  actorUserId: string | null;

  @Column({ name: 'actor_api_key_id', type: 'uuid', nullable: true })
  actorApiKeyId: string | null;

  @Column({ name: 'actor_organisation_id', type: 'uuid', nullable: true })
  actorOrganisationId: string | null;

  @Column({ type: 'text' })
  action: string;

  @Column({ name: 'target_type', type: 'text', nullable: true })
  targetType: string | null;

  @Column({ name: 'target_id', type: 'text', nullable: true })
  targetId: string | null;

  @Column({ type: 'inet', nullable: true })
  address: string | null;

  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId: string | null;

  @Column({ type: 'jsonb', default: () => `'{}'::jsonb` })
  details: Record<string, unknown>;
}
