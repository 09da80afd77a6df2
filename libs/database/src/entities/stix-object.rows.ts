import { IndicatorType, TlpLevel, TlpScope } from '@vigia/indicators';
import { StixObject, StixTimestamp } from '@vigia/stix';

/**
 * A `stix_objects` row keyed by column name, so a batch is one JSON.stringify away from `json_to_recordset`.
 * Absent properties are stored as NULL (or the column's default).
 */
export interface StixObjectRow {
  stix_id: string;
  modified: StixTimestamp;
  type: string;
  created: StixTimestamp;
  object: StixObject;
  tlp?: TlpLevel;
  tlp_recipients?: readonly string[];
  created_by_org?: string;
  report_id?: string;
  indicator_type?: IndicatorType;
  indicator_value?: string;
  is_cidr?: boolean;
  confidence?: number;
  valid_from?: StixTimestamp;
  valid_until?: StixTimestamp;
  sighting_of_ref?: string;
  org_count?: number;
  first_seen?: StixTimestamp;
  last_seen?: StixTimestamp;
  /** The warninglist that holds the value; the row is then `suppressed`. */
  suppressed_by?: string;
  /** libs/sharing `audienceKeyOf`: `network`, or the restricted audience the row belongs to. */
  audience_key: string;
  /** The owner of a restricted audience. */
  audience_owner?: string;
}

/**
 * A producer's object from a member's bundle (or an object Vigia adds beside them, `imported: false`), stored as
 * its own version: `modified` is the object's own (`created`, or when first stored, for objects without one);
 * `once` objects (SCOs, marking definitions, Vigia's links) are stored when absent and never get a second version.
 */
export interface ImportedObjectRow {
  stix_id: string;
  modified: string;
  type: string;
  created: string;
  object: Record<string, unknown>;
  tlp: TlpLevel;
  tlp_recipients: readonly string[];
  created_by_org: string;
  report_id: string;
  confidence?: number;
  valid_from?: string;
  valid_until?: string;
  audience_key: string;
  audience_owner?: string;
  imported: boolean;
  value_matchable: boolean;
  once: boolean;
}

/** What storing a report's imported objects did. */
export interface ImportOutcome {
  /** Versions written by this report. */
  stored: number;
  /** Versions some report had already stored (the same object, or the same version of it). */
  alreadyStored: number;
}

/** A row that only takes the lock on an object's latest version, already known to exist. */
export type LockRow = Pick<StixObjectRow, 'stix_id' | 'audience_key'>;

/** The latest stored version of an indicator or vulnerability, as its columns hold it. */
export interface StoredIndicator {
  stixId: string;
  modified: StixTimestamp;
  created: StixTimestamp;
  createdByOrg: string;
  scope: TlpScope;
  confidence: number | null;
  description: string | null;
  validFrom: StixTimestamp | null;
  validUntil: StixTimestamp | null;
  orgCount: number;
  firstSeen: StixTimestamp;
  lastSeen: StixTimestamp;
}

/** The latest stored version of a sighting. */
export interface StoredSighting {
  stixId: string;
  modified: StixTimestamp;
  scope: TlpScope;
}

/** One organisation's record of one indicator after counting this report (`indicator_correlations`). */
export interface Correlation {
  /** True when this report is the organisation's first of the indicator. */
  inserted: boolean;
  firstSeen: StixTimestamp;
  lastSeen: StixTimestamp;
  reportCount: number;
  createdAt: StixTimestamp;
}

/** What a normalisation attempt learns when it claims its values (`StixObjectRepository.claimValues`). */
export interface ValueClaim {
  /** Earlier claims, still held, that share values with this one. */
  dependsOn: string[];
  /** The values those claims share with this one: written only once they have ended. */
  shared: ReadonlySet<string>;
}

/** The latest versions a report replaces, by STIX id. */
export interface RetiredVersions {
  indicators: Map<string, StoredIndicator>;
  sightings: Map<string, StoredSighting>;
}

/** What matching needs of an indicator (or vulnerability) that may raise a warning, as stored now. */
export interface IndicatorToMatch {
  stixId: string;
  type: IndicatorType;
  value: string;
  confidence: number | null;
  validUntil: string | null;
}

/**
 * An imported indicator whose pattern cannot be reduced to values (another pattern language, AND, qualifiers...), as
 * matching needs it: only report-level filters can match it, never a constituency.
 */
export interface PatternIndicatorToMatch {
  stixId: string;
  patternType: string;
  pattern: string;
  confidence: number | null;
  validUntil: string | null;
}

/** A stored STIX object with who may see it. */
export interface StoredObject {
  object: Record<string, unknown>;
  tlp: string;
  /** Its audience: the owner of a restricted one (null for the network) and its recipients (empty: everyone). */
  audienceOwner: string | null;
  tlpRecipients: string[];
  createdByOrg: string | null;
}

/**
 * One stored version of a STIX object, as a read path serves it once the sharing rule let the viewer see it. The
 * same id may live in several audiences (a producer's object imported by two members under different scopes): a
 * read answers the version of the audience it found first by `modified`, the network audience before others.
 */
export interface VisibleObjectVersion {
  stixId: string;
  type: string;
  /** The version key (STIX `modified`; for objects without one, `created` or when it was first stored). */
  modified: Date;
  isLatest: boolean;
  object: Record<string, unknown>;
  /** TLP 2.0 level; an unmarked row (identity, marking definition) reads as null. */
  tlp: string | null;
  audienceKey: string;
  audienceOwner: string | null;
  tlpRecipients: string[];
  createdByOrg: string | null;
  reportId: string | null;
  /** A producer's object kept as sent (not built by Vigia). */
  imported: boolean;
  /** False on an indicator whose pattern cannot be reduced to values. */
  valueMatchable: boolean;
}

/** One organisation's statement about a value in one audience (`indicator_correlations`). */
export interface Statement {
  indicatorId: string;
  organisationId: string;
  type: string;
  value: string;
  tlp: string;
  audienceOwner: string | null;
  recipients: string[];
  confidence: number | null;
  firstSeen: Date;
  lastSeen: Date;
  reportCount: number;
}

/** A value several organisations reported, counted over the statements one viewer may see. */
export interface CorrelatedValueRow {
  indicatorType: string;
  indicatorValue: string;
  organisations: number;
  reports: number;
  lastSeen: Date;
}
