import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** Where a member CSIRT is in the network's onboarding life cycle. */
export enum OrganisationStatus {
  Applicant = 'applicant',
  Vetting = 'vetting',
  Active = 'active',
  Suspended = 'suspended',
  Rejected = 'rejected',
}

export enum OrganisationKind {
  NationalCsirt = 'national-csirt',
  SectorCsirt = 'sector-csirt',
  /** A government's own CERT (its networks, not the nation's). */
  GovernmentCert = 'government-cert',
  Coordinator = 'coordinator',
  Partner = 'partner',
}

@Entity({ name: 'organisations' })
export class OrganisationEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'short_name', type: 'text', unique: true })
  shortName: string;

  @Column({
    type: 'enum',
    enum: OrganisationKind,
    enumName: 'organisation_kind',
    default: OrganisationKind.NationalCsirt,
  })
  kind: OrganisationKind;

  /** ISO 3166-1 alpha-2, upper case. */
  @Column({ name: 'country_code', type: 'char', length: 2, nullable: true })
  countryCode: string | null;

  @Column({ type: 'text', nullable: true })
  sector: string | null;

  @Column({
    type: 'enum',
    enum: OrganisationStatus,
    enumName: 'organisation_status',
    default: OrganisationStatus.Applicant,
  })
  status: OrganisationStatus;

  /** The coordinator's reason for the last status change (a suspension or a reinstatement). */
  @Column({ name: 'status_reason', type: 'text', nullable: true })
  statusReason: string | null;

  @Column({ name: 'status_changed_at', type: 'timestamptz', nullable: true })
  statusChangedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
