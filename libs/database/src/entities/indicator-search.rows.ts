import { DecayTable } from '@vigia/indicators';

/** How the list is ordered; every order is descending, ties broken by id. */
export type IndicatorSort = 'last_seen' | 'score' | 'org_count';

/** The filters of an indicator search, canonical already (the service reads the raw input). */
export interface IndicatorFilters {
  types?: readonly string[];
  /** Canonical values (a value may be canonical for several types). */
  values?: readonly string[];
  /** Addresses and networks within this network. */
  withinCidr?: string;
  /** Networks (or the address itself) containing this address. */
  containingIp?: string;
  /** Domains equal to or under this domain, and URLs and e-mail addresses whose host is. */
  domain?: string;
  /** URLs whose host is exactly this. */
  urlHost?: string;
  classifications?: readonly string[];
  rsitTypes?: readonly string[];
  tlps?: readonly string[];
  reporterIds?: readonly string[];
  countries?: readonly string[];
  sectors?: readonly string[];
  firstSeenFrom?: Date;
  firstSeenTo?: Date;
  lastSeenFrom?: Date;
  lastSeenTo?: Date;
  activeOnly?: boolean;
  minOrgCount?: number;
  minScore?: number;
  /** Suppressed: on a warninglist or past the false-positive threshold. */
  suppressed?: boolean;
  text?: string;
}

/** Where a page starts: after the row with this sort value and id. */
export interface IndicatorCursor {
  sortValue: string | number;
  stixId: string;
}

export interface IndicatorSearch {
  viewerId: string;
  filters: IndicatorFilters;
  sort: IndicatorSort;
  limit: number;
  after?: IndicatorCursor;
}

/** An indicator (or vulnerability) object: its id and the audience it belongs to (the latest-version index's key). */
export interface IndicatorKey {
  stixId: string;
  audienceKey: string;
}

/** One row of `indicator_search` as reads answer it. */
export interface IndicatorSummary {
  stixId: string;
  audienceKey: string;
  objectType: string;
  type: string;
  value: string;
  tlp: string;
  audienceOwner: string | null;
  recipients: string[];
  createdByOrg: string | null;
  reporterIds: string[];
  reportIds: string[];
  classifications: string[];
  rsitTypes: string[];
  countries: string[];
  sectors: string[];
  confidence: number | null;
  orgCount: number;
  sightingOrgCount: number;
  sightingCount: number;
  confirmedOrgCount: number;
  falsePositiveOrgCount: number;
  firstSeen: Date | null;
  lastSeen: Date | null;
  validUntil: Date | null;
  active: boolean;
  warninglisted: boolean;
  fpSuppressed: boolean;
  score: number;
}

export interface IndicatorPage {
  items: IndicatorSummary[];
  /** Where the next page starts; null on the last page. */
  next: IndicatorCursor | null;
}

/** One stored version of an indicator, with the report that wrote it. */
export interface IndicatorVersion {
  modified: Date;
  reportId: string | null;
  object: Record<string, unknown>;
}

/** A STIX object stored with its scope (member sightings and feedback, SCOs, reports). */
export interface ScopedObject {
  stixId: string;
  type: string;
  object: Record<string, unknown>;
  tlp: string;
  audienceOwner: string | null;
  recipients: string[];
  createdByOrg: string | null;
  created: Date;
  /** The incident report whose normalisation wrote it; null for a member's sighting or feedback. */
  reportId: string | null;
}

/** A report that wrote a version of an indicator, with its scope. */
export interface IndicatorReport {
  id: string;
  organisationId: string;
  title: string;
  classification: string;
  type: string | null;
  tlp: string;
  recipients: string[];
  receivedAt: Date;
}

/** A member's sighting or feedback to store (a STIX sighting or opinion), under its author's own scope. */
export interface NewIndicatorFeedback {
  stixId: string;
  type: 'sighting' | 'opinion';
  object: Record<string, unknown>;
  indicatorId: string;
  /** The indicator's audience. */
  indicatorAudienceKey: string;
  indicatorType: string;
  indicatorValue: string;
  organisationId: string;
  tlp: string;
  recipients: readonly string[];
  audienceKey: string;
  firstSeen?: string;
  lastSeen?: string;
}

/** How scores and suppression are computed: the decay per type and the false-positive threshold (0: never). */
export interface ScoreSettings {
  decay: DecayTable;
  falsePositiveThreshold: number;
}

/** What a lookup finds for one canonical value (or host) among the objects the viewer may see. */
export interface LookupHit {
  value: string;
  type: string;
  indicator: IndicatorSummary;
}

/** Who shared an indicator's audience statements: the organisations to tell about feedback. */
export interface FeedbackToDeliver {
  object: ScopedObject;
  indicator: IndicatorSummary;
  authorName: string;
  /**
   * Organisations with a statement about the indicator, with their webhook endpoints (oldest per URL) and the e-mail
   * channels of their active subscriptions (one per address).
   */
  producers: {
    organisationId: string;
    name: string;
    webhookEndpointIds: string[];
    emailChannels: { address: string; locale: string; pgpPublicKey: string | null }[];
  }[];
}
