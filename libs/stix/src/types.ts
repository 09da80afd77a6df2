/**
 * The STIX 2.1 objects Vigia produces, typed after the OASIS STIX 2.1 specification (errata 01) and the
 * OASIS JSON schemas. Property names are the STIX wire names (snake_case) so objects serialise as they are.
 * Only the properties we produce are modelled; this is not a general STIX parser.
 */

import type { JsonValue } from './json-canonicalize';

export const STIX_SPEC_VERSION = '2.1';
export type StixSpecVersion = typeof STIX_SPEC_VERSION;

/** `<object-type>--<UUID>` (spec §2.9). */
export type StixId<TType extends string = string> = `${TType}--${string}`;

/** RFC 3339 UTC with millisecond precision, e.g. `2024-05-01T12:00:00.000Z` (spec §2.16). */
export type StixTimestamp = string;

export interface ExternalReference {
  source_name: string;
  description?: string;
  url?: string;
  hashes?: Record<string, string>;
  external_id?: string;
}

export interface GranularMarking {
  selectors: string[];
  marking_ref?: StixId<'marking-definition'>;
  lang?: string;
}

/** Common properties of SDOs and SROs (spec §3.2). */
export interface StixCoreObject<TType extends string> {
  type: TType;
  spec_version: StixSpecVersion;
  id: StixId<TType>;
  created_by_ref?: StixId<'identity'>;
  created: StixTimestamp;
  modified: StixTimestamp;
  revoked?: boolean;
  labels?: string[];
  confidence?: number;
  lang?: string;
  external_references?: ExternalReference[];
  object_marking_refs?: StixId<'marking-definition'>[];
  granular_markings?: GranularMarking[];
}

/** Common properties of STIX Cyber-observable Objects (spec §3.2, SCO column). */
export interface StixCyberObservableCore<TType extends string> {
  type: TType;
  spec_version: StixSpecVersion;
  id: StixId<TType>;
  object_marking_refs?: StixId<'marking-definition'>[];
  granular_markings?: GranularMarking[];
  defanged?: boolean;
}

// ---- STIX Domain Objects ----

export interface Identity extends StixCoreObject<'identity'> {
  name: string;
  description?: string;
  roles?: string[];
  identity_class?: string;
  sectors?: string[];
  contact_information?: string;
}

/** A place (spec §4.11); Vigia uses it for an organisation's country, linked to its identity by `located-at`. */
export interface Location extends StixCoreObject<'location'> {
  name?: string;
  description?: string;
  region?: string;
  /** ISO 3166-1 alpha-2, upper case. */
  country?: string;
}

export interface Indicator extends StixCoreObject<'indicator'> {
  name?: string;
  description?: string;
  indicator_types?: string[];
  pattern: string;
  pattern_type: string;
  pattern_version?: string;
  valid_from: StixTimestamp;
  valid_until?: StixTimestamp;
}

export interface Vulnerability extends StixCoreObject<'vulnerability'> {
  name: string;
  description?: string;
}

export interface Note extends StixCoreObject<'note'> {
  abstract?: string;
  content: string;
  authors?: string[];
  object_refs: StixId[];
}

export interface Report extends StixCoreObject<'report'> {
  name: string;
  description?: string;
  report_types?: string[];
  published: StixTimestamp;
  object_refs: StixId[];
}

export interface ObservedData extends StixCoreObject<'observed-data'> {
  first_observed: StixTimestamp;
  last_observed: StixTimestamp;
  number_observed: number;
  object_refs: StixId[];
}

// ---- STIX Relationship Objects ----

export interface Relationship extends StixCoreObject<'relationship'> {
  relationship_type: string;
  description?: string;
  source_ref: StixId;
  target_ref: StixId;
  start_time?: StixTimestamp;
  stop_time?: StixTimestamp;
}

export interface Sighting extends StixCoreObject<'sighting'> {
  description?: string;
  first_seen?: StixTimestamp;
  last_seen?: StixTimestamp;
  count?: number;
  sighting_of_ref: StixId;
  observed_data_refs?: StixId<'observed-data'>[];
  where_sighted_refs?: StixId<'identity' | 'location'>[];
  summary?: boolean;
}

// ---- STIX Cyber-observable Objects ----

export interface Ipv4Address extends StixCyberObservableCore<'ipv4-addr'> {
  /** A single address or a CIDR block. */
  value: string;
}

export interface Ipv6Address extends StixCyberObservableCore<'ipv6-addr'> {
  /** A single address or a CIDR block. */
  value: string;
}

export interface DomainName extends StixCyberObservableCore<'domain-name'> {
  value: string;
}

export interface Url extends StixCyberObservableCore<'url'> {
  value: string;
}

export interface EmailAddress extends StixCyberObservableCore<'email-addr'> {
  value: string;
  display_name?: string;
}

/** Hash algorithm names from the STIX hash-algorithm-ov vocabulary that Vigia carries. */
export type StixHashAlgorithm = 'MD5' | 'SHA-1' | 'SHA-256' | 'SHA-512';

export interface File extends StixCyberObservableCore<'file'> {
  /** Keyed by hash algorithm name; Vigia writes the StixHashAlgorithm names. */
  hashes?: Record<string, string>;
  name?: string;
  size?: number;
  parent_directory_ref?: StixId<'directory'>;
  extensions?: Record<string, { [property: string]: JsonValue }>;
}

export interface AutonomousSystem extends StixCyberObservableCore<'autonomous-system'> {
  number: number;
  name?: string;
  rir?: string;
}

// ---- STIX Meta Objects ----

/** A marking definition defined through an extension, as the TLP 2.0 markings are (spec §7.2.1). */
export interface ExtensionMarkingDefinition {
  type: 'marking-definition';
  spec_version: StixSpecVersion;
  id: StixId<'marking-definition'>;
  created: StixTimestamp;
  created_by_ref?: StixId<'identity'>;
  name: string;
  extensions: Record<StixId<'extension-definition'>, { extension_type: 'property-extension' } & Record<string, string>>;
}

// ---- Bundle ----

export type StixDomainObject = Identity | Indicator | Vulnerability | Note | Report | ObservedData | Location;
export type StixRelationshipObject = Relationship | Sighting;
export type StixCyberObservable = Ipv4Address | Ipv6Address | DomainName | Url | EmailAddress | File | AutonomousSystem;
export type StixObject = StixDomainObject | StixRelationshipObject | StixCyberObservable | ExtensionMarkingDefinition;

/** A bundle carries no spec_version in STIX 2.1; `objects` is omitted when empty (the schema forbids an empty list). */
export interface Bundle {
  type: 'bundle';
  id: StixId<'bundle'>;
  objects?: StixObject[];
}
