import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * What analysts search: one row per indicator (or vulnerability) object, that is per (value, audience), derived from
 * the STIX store after each normalisation and each sighting or feedback (docs/indicators.md). Every figure on it is
 * computed over its audience only (statements, sightings and feedback everyone in the audience may see), so it is the
 * same for everyone who may see the row.
 */
@Entity({ name: 'indicator_search' })
export class IndicatorSearchEntity {
  @PrimaryColumn({ name: 'stix_id', type: 'text', collation: 'C' })
  stixId: string;

  @Column({ name: 'audience_key', type: 'text', collation: 'C' })
  audienceKey: string;

  /** `indicator` or `vulnerability`. */
  @Column({ name: 'object_type', type: 'text' })
  objectType: string;

  @Column({ name: 'indicator_type', type: 'text' })
  indicatorType: string;

  @Column({ name: 'indicator_value', type: 'text' })
  indicatorValue: string;

  /** IPv4 and IPv6 values (addresses and networks). */
  @Column({ type: 'inet', nullable: true })
  address: string | null;

  /** The domain, or the host of a URL or e-mail address. */
  @Column({ type: 'text', nullable: true })
  host: string | null;

  /** `host` reversed, so a domain and its subdomains are one index range. */
  @Column({ name: 'host_reversed', type: 'text', collation: 'C', nullable: true })
  hostReversed: string | null;

  @Column({ type: 'text' })
  tlp: string;

  @Column({ name: 'audience_owner', type: 'uuid', nullable: true })
  audienceOwner: string | null;

  @Column({ name: 'tlp_recipients', type: 'uuid', array: true, default: () => "'{}'" })
  tlpRecipients: string[];

  @Column({ name: 'created_by_org', type: 'uuid', nullable: true })
  createdByOrg: string | null;

  /** Organisations with a statement about it in its audience. */
  @Column({ name: 'reporter_ids', type: 'uuid', array: true, default: () => "'{}'" })
  reporterIds: string[];

  /** The incident reports that wrote a version of it. */
  @Column({ name: 'report_ids', type: 'uuid', array: true, default: () => "'{}'" })
  reportIds: string[];

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  classifications: string[];

  @Column({ name: 'rsit_types', type: 'text', array: true, default: () => "'{}'" })
  rsitTypes: string[];

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  countries: string[];

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  sectors: string[];

  @Column({ type: 'smallint', nullable: true })
  confidence: number | null;

  @Column({ name: 'org_count', type: 'integer', default: 0 })
  orgCount: number;

  @Column({ name: 'sighting_org_count', type: 'integer', default: 0 })
  sightingOrgCount: number;

  @Column({ name: 'sighting_count', type: 'integer', default: 0 })
  sightingCount: number;

  @Column({ name: 'confirmed_org_count', type: 'integer', default: 0 })
  confirmedOrgCount: number;

  @Column({ name: 'false_positive_org_count', type: 'integer', default: 0 })
  falsePositiveOrgCount: number;

  @Column({ name: 'first_seen', type: 'timestamptz', nullable: true })
  firstSeen: Date | null;

  @Column({ name: 'last_seen', type: 'timestamptz', nullable: true })
  lastSeen: Date | null;

  @Column({ name: 'valid_until', type: 'timestamptz', nullable: true })
  validUntil: Date | null;

  /** On a warninglist. */
  @Column({ type: 'boolean', default: false })
  warninglisted: boolean;

  /** Enough organisations called it a false positive (`INDICATOR_FALSE_POSITIVE_THRESHOLD`): never fanned out. */
  @Column({ name: 'fp_suppressed', type: 'boolean', default: false })
  fpSuppressed: boolean;

  @Column({ name: 'fp_suppressed_at', type: 'timestamptz', nullable: true })
  fpSuppressedAt: Date | null;

  @Column({ type: 'smallint', default: 0 })
  score: number;

  @Column({ name: 'search_text', type: 'tsvector', nullable: true })
  searchText: string | null;

  @Column({ name: 'refreshed_at', type: 'timestamptz', default: () => 'now()' })
  refreshedAt: Date;
}
