import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * What one organisation has reported of one indicator (or vulnerability): when it saw it first and last and in how
 * many reports. One row per (indicator, organisation), so "how many organisations have seen it, and when" is one
 * indexed query; the latest indicator row carries the same answer in `org_count`, `first_seen`, `last_seen`.
 * Each report is counted once: the report's own row lock and status make normalisation run to commit once.
 */
@Entity({ name: 'indicator_correlations' })
export class IndicatorCorrelationEntity {
  @PrimaryColumn({ name: 'indicator_id', type: 'text', collation: 'C' })
  indicatorId: string;

  @PrimaryColumn({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @Column({ name: 'first_seen', type: 'timestamptz' })
  firstSeen: Date;

  @Column({ name: 'last_seen', type: 'timestamptz' })
  lastSeen: Date;

  @Column({ name: 'report_count', type: 'integer' })
  reportCount: number;

  @Column({ name: 'last_report_id', type: 'uuid' })
  lastReportId: string;

  /** When the organisation first reported it; also the `created` of its sighting. */
  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
