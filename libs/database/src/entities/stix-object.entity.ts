import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One version of one STIX object as the worker stored it: the object itself in `object`, and beside it the properties
 * that queries filter on. A version is (stix_id, modified); `is_latest` marks the current one.
 *
 * Objects without `modified` in STIX keep a version too: SCOs the time they were first stored (they never change),
 * marking definitions their `created`. Indicator and vulnerability rows carry the reported value and what the network
 * knows of it (org_count, first_seen, last_seen over every organisation; suppressed by a warninglist); sighting rows
 * carry the sighted object's value and that organisation's first_seen / last_seen.
 */
@Entity({ name: 'stix_objects' })
@Index('IDX_stix_objects_latest', ['stixId', 'audienceKey'], { unique: true, where: 'is_latest' })
@Index('IDX_stix_objects_added_latest', ['dateAdded', 'addedSeq'], { where: 'is_latest' })
@Index('IDX_stix_objects_added_superseded', ['dateAdded', 'addedSeq'], { where: 'NOT is_latest' })
@Index('IDX_stix_objects_vigia_reports', ['modified', 'stixId'], {
  where: "is_latest AND type = 'report' AND NOT imported",
})
@Index('IDX_stix_objects_sighting_of', ['sightingOfRef'], { where: 'is_latest AND sighting_of_ref IS NOT NULL' })
export class StixObjectEntity {
  @PrimaryColumn({ name: 'stix_id', type: 'text', collation: 'C' })
  stixId: string;

  /** The audience the object belongs to (libs/sharing `audienceKeyOf`): `network`, or a restricted audience. */
  @PrimaryColumn({ name: 'audience_key', type: 'text', collation: 'C' })
  audienceKey: string;

  @PrimaryColumn({ type: 'timestamptz' })
  modified: Date;

  /** The owner of a restricted audience (the reporter who shared it); null for the network audience. */
  @Column({ name: 'audience_owner', type: 'uuid', nullable: true })
  audienceOwner: string | null;

  /** The STIX type: indicator, vulnerability, sighting, report, identity, marking-definition, ipv4-addr… */
  @Column({ type: 'text' })
  type: string;

  @Column({ type: 'timestamptz' })
  created: Date;

  /** When this version entered the store (TAXII `date_added`, for `added_after`). */
  @Column({ name: 'date_added', type: 'timestamptz', default: () => 'now()' })
  dateAdded: Date;

  /** Breaks ties between versions added by one transaction (same `date_added`): TAXII pages by both. */
  @Column({
    name: 'added_seq',
    type: 'bigint',
    generatedIdentity: 'ALWAYS',
    generated: 'identity',
    insert: false,
    update: false,
  })
  addedSeq: string;

  @Column({ name: 'is_latest', type: 'boolean', default: true })
  isLatest: boolean;

  @Column({ type: 'jsonb' })
  object: Record<string, unknown>;

  /** TLP 2.0 level of the object's marking (clear, green, amber, amber+strict, red); null for unmarked objects. */
  @Column({ type: 'text', nullable: true })
  tlp: string | null;

  /** A restricted audience's member organisations besides its owner; empty for the whole network. */
  @Column({ name: 'tlp_recipients', type: 'uuid', array: true, default: () => "'{}'" })
  tlpRecipients: string[];

  /** The organisation whose identity is `created_by_ref`. */
  @Column({ name: 'created_by_org', type: 'uuid', nullable: true })
  createdByOrg: string | null;

  /** The incident report whose normalisation wrote this version. */
  @Column({ name: 'report_id', type: 'uuid', nullable: true })
  reportId: string | null;

  /** Vigia's indicator type (ipv4, domain, cve…) on indicator, vulnerability, SCO and sighting rows. */
  @Column({ name: 'indicator_type', type: 'text', nullable: true })
  indicatorType: string | null;

  /** The canonical indicator value, as in `report_indicators.value`. */
  @Column({ name: 'indicator_value', type: 'text', nullable: true })
  indicatorValue: string | null;

  @Column({ name: 'is_cidr', type: 'boolean', default: false })
  isCidr: boolean;

  @Column({ type: 'smallint', nullable: true })
  confidence: number | null;

  @Column({ name: 'valid_from', type: 'timestamptz', nullable: true })
  validFrom: Date | null;

  /** Null: never expires (hashes, CVEs by default). */
  @Column({ name: 'valid_until', type: 'timestamptz', nullable: true })
  validUntil: Date | null;

  @Column({ name: 'sighting_of_ref', type: 'text', collation: 'C', nullable: true })
  sightingOfRef: string | null;

  /** Indicators and vulnerabilities: how many distinct organisations have reported the value. */
  @Column({ name: 'org_count', type: 'integer', nullable: true })
  orgCount: number | null;

  @Column({ name: 'first_seen', type: 'timestamptz', nullable: true })
  firstSeen: Date | null;

  @Column({ name: 'last_seen', type: 'timestamptz', nullable: true })
  lastSeen: Date | null;

  /** On a warninglist (`suppressed_by` names it): stored and shared, never fanned out. */
  @Column({ type: 'boolean', default: false })
  suppressed: boolean;

  @Column({ name: 'suppressed_by', type: 'text', nullable: true })
  suppressedBy: string | null;

  /** A producer's object from a member's bundle, kept as sent (its id, versions, custom properties). */
  @Column({ type: 'boolean', default: false })
  imported: boolean;

  /**
   * False on an indicator whose pattern cannot be reduced to values (kept as sent; only report-level filters match
   * it). True on every other row, where it only says nothing stands in the way of matching by value.
   */
  @Column({ name: 'value_matchable', type: 'boolean', default: true })
  valueMatchable: boolean;
}

/**
 * The one definition of "active": the latest version, not expired. Every query for active objects (fan-out, TAXII,
 * search) uses this rather than its own copy; `alias` is the table or its alias in the query.
 */
export const activeStixObjectSql = (alias = 'stix_objects'): string =>
  `(${alias}.is_latest AND (${alias}.valid_until IS NULL OR ${alias}.valid_until > now()))`;

/** Active and on no warninglist: what may raise an early warning. */
export const alertableStixObjectSql = (alias = 'stix_objects'): string =>
  `(${activeStixObjectSql(alias)} AND NOT ${alias}.suppressed)`;

/** `activeStixObjectSql` for a row already in memory. */
export const isActiveStixObject = (row: Pick<StixObjectEntity, 'isLatest' | 'validUntil'>, now = new Date()): boolean =>
  row.isLatest && (row.validUntil === null || row.validUntil > now);
