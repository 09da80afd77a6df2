import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
import { OrganisationEntity } from './organisation.entity';

export enum ReportStatus {
  Received = 'received',
  Normalised = 'normalised',
  Failed = 'failed',
}

export enum ReportSourceFormat {
  Json = 'json',
  Stix = 'stix',
  Csv = 'csv',
  Misp = 'misp',
}

/** One problem found in a submission that was still accepted (an indicator skipped, with why). */
export interface SkippedItem {
  path: string;
  value?: string;
  reason: string;
}

@Entity({ name: 'incident_reports' })
@Index(['organisationId', 'idempotencyKey'], { unique: true, where: 'idempotency_key IS NOT NULL' })
@Index(['status', 'receivedAt'])
export class IncidentReportEntity {
  /** Chosen by ingest before insert so it can double as the BullMQ job id. */
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @ManyToOne(() => OrganisationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organisation_id' })
  organisation?: OrganisationEntity;

  @Column({ name: 'source_format', type: 'enum', enum: ReportSourceFormat, enumName: 'report_source_format' })
  sourceFormat: ReportSourceFormat;

  @Column({ type: 'enum', enum: ReportStatus, enumName: 'report_status', default: ReportStatus.Received })
  status: ReportStatus;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text', default: '' })
  description: string;

  @Column({ name: 'rsit_classification', type: 'text' })
  rsitClassification: string;

  @Column({ name: 'rsit_type', type: 'text', nullable: true })
  rsitType: string | null;

  @Column({ type: 'text' })
  severity: string;

  @Column({ type: 'text' })
  tlp: string;

  /** For TLP:RED, the organisations that may see the report. */
  @Column({ name: 'tlp_recipients', type: 'uuid', array: true, default: () => "'{}'" })
  tlpRecipients: string[];

  @Column({ name: 'first_seen', type: 'timestamptz', nullable: true })
  firstSeen: Date | null;

  @Column({ name: 'last_seen', type: 'timestamptz', nullable: true })
  lastSeen: Date | null;

  @Column({ name: 'sector_tags', type: 'text', array: true, default: () => "'{}'" })
  sectorTags: string[];

  @Column({ name: 'country_tags', type: 'text', array: true, default: () => "'{}'" })
  countryTags: string[];

  @Column({ name: 'indicator_count', type: 'integer', default: 0 })
  indicatorCount: number;

  /** The first skipped items (at most 100); `skippedCount` counts them all. */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  skipped: SkippedItem[];

  @Column({ name: 'skipped_count', type: 'integer', default: 0 })
  skippedCount: number;

  @Column({ name: 'failure_reason', type: 'text', nullable: true })
  failureReason: string | null;

  @Column({ name: 'idempotency_key', type: 'text', nullable: true })
  idempotencyKey: string | null;

  /** When the normalisation job reached the queue (null while its outbox row waits for Redis). */
  @Column({ name: 'enqueued_at', type: 'timestamptz', nullable: true })
  enqueuedAt: Date | null;

  @Column({ name: 'normalised_at', type: 'timestamptz', nullable: true })
  normalisedAt: Date | null;

  @CreateDateColumn({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
