import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { OrganisationKind } from './organisation.entity';

/** Where an application to join the network is (apps/portal applications has the transitions). */
export enum ApplicationStatus {
  /** Sent; review starts once the applicant verified their e-mail address. */
  Submitted = 'submitted',
  UnderReview = 'under_review',
  /** The coordinator asked the applicant something; their answer puts it back under review. */
  InformationRequested = 'information_requested',
  Approved = 'approved',
  Rejected = 'rejected',
  /** The applicant withdrew it through their link. */
  Withdrawn = 'withdrawn',
}

/** An application to join the network, sent by a team without an account (see the migration). */
@Entity({ name: 'applications' })
@Index('IDX_applications_status', ['status', 'createdAt'])
export class ApplicationEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({
    type: 'enum',
    enum: ApplicationStatus,
    enumName: 'application_status',
    default: ApplicationStatus.Submitted,
  })
  status: ApplicationStatus;

  @Column({ name: 'team_name', type: 'text' })
  teamName: string;

  @Column({ type: 'enum', enum: OrganisationKind, enumName: 'organisation_kind' })
  kind: OrganisationKind;

  @Column({ name: 'country_code', type: 'char', length: 2 })
  countryCode: string;

  @Column({ type: 'text' })
  sector: string;

  @Column({ type: 'text' })
  mandate: string;

  @Column({ type: 'text' })
  website: string;

  /** `Constituency` (canonical CIDRs, AS numbers, domain suffixes). */
  @Column({ type: 'jsonb' })
  constituency: unknown;

  /** `ApplicationContact[]`: the proposed 24/7 contacts, with their parsed OpenPGP keys. */
  @Column({ type: 'jsonb' })
  contacts: unknown;

  @Column({ name: 'applicant_name', type: 'text' })
  applicantName: string;

  @Column({ name: 'applicant_email', type: 'text' })
  applicantEmail: string;

  /** The network language the applicant's mails are written in. */
  @Column({ type: 'text' })
  locale: string;

  /** The form token's nonce: a form is sent once. */
  @Column({ name: 'form_nonce', type: 'text', unique: true })
  formNonce: string;

  /** SHA-256 of the verification link's token; cleared once verified. */
  @Column({ name: 'verification_token_hash', type: 'char', length: 64, nullable: true })
  verificationTokenHash: string | null;

  @Column({ name: 'verification_expires_at', type: 'timestamptz' })
  verificationExpiresAt: Date;

  @Column({ name: 'verified_at', type: 'timestamptz', nullable: true })
  verifiedAt: Date | null;

  /** SHA-256 of the applicant's link (answer, withdraw); replaced by each information request, cleared at decision. */
  @Column({ name: 'applicant_token_hash', type: 'char', length: 64, nullable: true })
  applicantTokenHash: string | null;

  @Column({ name: 'applicant_token_expires_at', type: 'timestamptz', nullable: true })
  applicantTokenExpiresAt: Date | null;

  /** The organisation approval created. */
  @Column({ name: 'organisation_id', type: 'uuid', nullable: true })
  organisationId: string | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  /** Since when the review clock waits for the applicant's answer (information requested); null when it runs. */
  @Column({ name: 'clock_paused_at', type: 'timestamptz', nullable: true })
  clockPausedAt: Date | null;

  /** Working days spent waiting for the applicant's answers so far: the clock does not count them. */
  @Column({ name: 'paused_working_days', type: 'integer', default: 0 })
  pausedWorkingDays: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** One step of an application's history: who did what and when. */
@Entity({ name: 'application_events' })
@Index('IDX_application_events_application', ['applicationId', 'id'])
export class ApplicationEventEntity {
  @PrimaryColumn({ type: 'bigint', generated: 'increment' })
  id: string;

  @Column({ name: 'application_id', type: 'uuid' })
  applicationId: string;

  @Column({ name: 'occurred_at', type: 'timestamptz', default: () => 'now()' })
  occurredAt: Date;

  /** `ApplicationEventKind`. */
  @Column({ type: 'text' })
  kind: string;

  @Column({
    name: 'from_status',
    type: 'enum',
    enum: ApplicationStatus,
    enumName: 'application_status',
    nullable: true,
  })
  fromStatus: ApplicationStatus | null;

  @Column({ name: 'to_status', type: 'enum', enum: ApplicationStatus, enumName: 'application_status', nullable: true })
  toStatus: ApplicationStatus | null;

  @Column({ name: 'actor_user_id', type: 'uuid', nullable: true })
  actorUserId: string | null;

  @Column({ name: 'actor_organisation_id', type: 'uuid', nullable: true })
  actorOrganisationId: string | null;

  @Column({ name: 'by_applicant', type: 'boolean', default: false })
  byApplicant: boolean;

  /** The reason, comment, question or answer. */
  @Column({ type: 'text', nullable: true })
  text: string | null;
}

/** A sponsor's endorsement: a member organisation's (one each), or an external one the coordinator recorded. */
@Entity({ name: 'application_endorsements' })
export class ApplicationEndorsementEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'application_id', type: 'uuid' })
  applicationId: string;

  @Column({ name: 'organisation_id', type: 'uuid', nullable: true })
  organisationId: string | null;

  @Column({ name: 'endorser_user_id', type: 'uuid', nullable: true })
  endorserUserId: string | null;

  /** Who endorsed from outside the network (e.g. the country's national contact point). */
  @Column({ name: 'external_endorser', type: 'text', nullable: true })
  externalEndorser: string | null;

  @Column({ type: 'text' })
  comment: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
