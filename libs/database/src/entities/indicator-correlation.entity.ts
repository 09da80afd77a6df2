import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One organisation's statement about one indicator (or vulnerability) of one audience: when it saw it first and
 * last, in how many reports, with which confidence and note (its latest report's), under which scope. One row per
 * (indicator, organisation); an indicator id belongs to one audience, so a statement is seen by exactly that
 * audience. The audience's indicator row carries the audience-wide answer in `org_count`, `first_seen`, `last_seen`;
 * what one viewer may know across audiences is computed from the statements it may see (indexed by value).
 * Each report is counted once: the report's own row lock and status make normalisation run to commit once.
 */
@Entity({ name: 'indicator_correlations' })
@Index('IDX_indicator_correlations_value', ['indicatorValue'])
export class IndicatorCorrelationEntity {
  @PrimaryColumn({ name: 'indicator_id', type: 'text', collation: 'C' })
  indicatorId: string;

  @PrimaryColumn({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @Column({ name: 'indicator_type', type: 'text' })
  indicatorType: string;

  @Column({ name: 'indicator_value', type: 'text' })
  indicatorValue: string;

  /** The statement's TLP 2.0 level (its latest report's). */
  @Column({ type: 'text' })
  tlp: string;

  @Column({ name: 'audience_key', type: 'text', collation: 'C' })
  audienceKey: string;

  /** The owner of a restricted audience; null for the network audience. */
  @Column({ name: 'audience_owner', type: 'uuid', nullable: true })
  audienceOwner: string | null;

  /** A restricted audience's member organisations; empty for the whole network. */
  @Column({ name: 'tlp_recipients', type: 'uuid', array: true, default: () => "'{}'" })
  tlpRecipients: string[];

  @Column({ type: 'smallint', nullable: true })
  confidence: number | null;

  @Column({ type: 'text', nullable: true })
  note: string | null;

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
