import { buildCoreProperties, optionalTimestamp, type CommonObjectOptions } from './common-properties';
import { StixInputError } from './errors';
import {
  identityIdForOrganisation,
  locationIdForCountry,
  relationshipIdFor,
  vulnerabilityIdForCve,
} from './identifiers';
import { buildRelationship } from './relationship-objects';
import { toStixTimestamp, type TimestampInput } from './timestamp';
import type {
  Identity,
  Indicator,
  Location,
  Note,
  ObservedData,
  Relationship,
  Report,
  StixId,
  Vulnerability,
} from './types';

// ---- identity ----

export interface IdentityInput extends CommonObjectOptions {
  name: string;
  /** identity-class-ov, e.g. `organization`. */
  identityClass?: string;
  /** industry-sector-ov values, e.g. `government-national`. */
  sectors?: readonly string[];
  description?: string;
  roles?: readonly string[];
  contactInformation?: string;
}

export function buildIdentity(input: IdentityInput, defaultId?: StixId<'identity'>): Identity {
  const identity: Identity = Object.assign(buildCoreProperties('identity', input, defaultId), { name: input.name });
  if (input.description !== undefined) identity.description = input.description;
  if (input.roles !== undefined && input.roles.length > 0) identity.roles = [...input.roles];
  if (input.identityClass !== undefined) identity.identity_class = input.identityClass;
  if (input.sectors !== undefined && input.sectors.length > 0) identity.sectors = [...input.sectors];
  if (input.contactInformation !== undefined) identity.contact_information = input.contactInformation;
  return identity;
}

export interface Organisation {
  /** Vigia's own, stable organisation id; it alone decides the identity id. */
  id: string;
  name: string;
  /** ISO 3166-1 alpha-2 code, written upper-case. */
  country?: string;
  /** An industry-sector-ov value such as `government-national` (open vocabulary, so other values pass). */
  sector?: string;
}

/**
 * Fixed default `created` for organisation identities, so re-emitting an organisation yields the same object
 * (same id and same created) rather than a conflicting version. Pass `modified` when the organisation changes.
 */
export const ORGANISATION_IDENTITY_EPOCH = '2025-01-01T00:00:00.000Z';

export type OrganisationIdentityOptions = Pick<
  CommonObjectOptions,
  'created' | 'modified' | 'markingRefs' | 'createdBy'
>;

/**
 * The identity of a Vigia organisation, with a deterministic id (identityIdForOrganisation) so each
 * organisation always has the same `created_by_ref`. Plain STIX 2.1: its country is not on it (identities have no
 * country property) but in `organisationStixObjects`' location and `located-at` relationship.
 */
export function identityForOrganisation(
  organisation: Organisation,
  options: OrganisationIdentityOptions = {},
): Identity {
  const identity = buildIdentity(
    Object.assign({ created: ORGANISATION_IDENTITY_EPOCH }, options, {
      name: organisation.name,
      identityClass: 'organization',
      sectors: organisation.sector === undefined ? undefined : [organisation.sector],
    }),
    identityIdForOrganisation(organisation.id),
  );
  return identity;
}

/** An organisation in plain STIX 2.1: its identity, and where it has a country, that country and `located-at`. */
export interface OrganisationStixObjects {
  identity: Identity;
  location?: Location;
  locatedAt?: Relationship;
}

/**
 * The organisation's identity plus, with a country, a `location` of that country (deterministic id, one per
 * country, shared by every organisation there) and the identity's `located-at` relationship to it (deterministic id
 * over both ends), both dated ORGANISATION_IDENTITY_EPOCH so re-emitting them yields the same objects.
 */
export function organisationStixObjects(
  organisation: Organisation,
  options: OrganisationIdentityOptions = {},
): OrganisationStixObjects {
  const identity = identityForOrganisation(organisation, options);
  if (organisation.country === undefined) return { identity };
  const country = organisation.country.toUpperCase();
  const location = countryLocation(country);
  const locatedAt = buildRelationship({
    id: relationshipIdFor(identity.id, 'located-at', location.id),
    relationshipType: 'located-at',
    sourceRef: identity.id,
    targetRef: location.id,
    created: ORGANISATION_IDENTITY_EPOCH,
  });
  return { identity, location, locatedAt };
}

/** The location of a country (ISO 3166-1 alpha-2), with a deterministic id (locationIdForCountry). */
export function countryLocation(country: string): Location {
  const code = country.toUpperCase();
  if (!/^[A-Z]{2}$/.test(code)) throw new StixInputError(`not an ISO 3166-1 alpha-2 country code: ${country}`);
  return Object.assign(
    buildCoreProperties('location', { created: ORGANISATION_IDENTITY_EPOCH }, locationIdForCountry(code)),
    { country: code },
  );
}

// ---- indicator ----

export interface IndicatorInput extends CommonObjectOptions {
  pattern: string;
  /** pattern-type-ov; default `stix`. */
  patternType?: string;
  /** Default `2.1` for STIX patterns. */
  patternVersion?: string;
  /** Default: `created`. */
  validFrom?: TimestampInput;
  validUntil?: TimestampInput;
  name?: string;
  description?: string;
  /** indicator-type-ov, e.g. `malicious-activity`. */
  indicatorTypes?: readonly string[];
}

/** An indicator; the id is random unless given (buildIndicatorArtifacts gives the deterministic one). */
export function buildIndicator(input: IndicatorInput, defaultId?: StixId<'indicator'>): Indicator {
  const core = buildCoreProperties('indicator', input, defaultId);
  const patternType = input.patternType ?? 'stix';
  const indicator: Indicator = Object.assign(core, {
    pattern: input.pattern,
    pattern_type: patternType,
    valid_from: input.validFrom === undefined ? core.created : toStixTimestamp(input.validFrom),
  });
  const patternVersion = input.patternVersion ?? (patternType === 'stix' ? '2.1' : undefined);
  if (patternVersion !== undefined) indicator.pattern_version = patternVersion;
  const validUntil = optionalTimestamp(input.validUntil);
  if (validUntil !== undefined) {
    // Spec §4.7.1: valid_until must be later than valid_from.
    if (validUntil <= indicator.valid_from) {
      throw new StixInputError(`valid_until (${validUntil}) must be later than valid_from (${indicator.valid_from})`);
    }
    indicator.valid_until = validUntil;
  }
  if (input.name !== undefined) indicator.name = input.name;
  if (input.description !== undefined) indicator.description = input.description;
  if (input.indicatorTypes !== undefined && input.indicatorTypes.length > 0) {
    indicator.indicator_types = [...input.indicatorTypes];
  }
  return indicator;
}

// ---- vulnerability ----

export interface VulnerabilityInput extends CommonObjectOptions {
  /** A CVE id such as `CVE-2021-44228` (any case). */
  cve: string;
  description?: string;
}

// The CVE id format the OASIS external-reference schema accepts for source_name "cve".
const CVE_ID = /^CVE-\d{4}-(?:0\d{3}|[1-9]\d{3,})$/;

/**
 * A vulnerability for a CVE, named by the CVE id and carrying the `cve` external reference STIX defines for it.
 * The id is deterministic per CVE (vulnerabilityIdForCve) unless given.
 */
export function buildVulnerability(input: VulnerabilityInput): Vulnerability {
  const cve = input.cve.toUpperCase();
  if (!CVE_ID.test(cve)) {
    throw new StixInputError(`not a CVE id: ${input.cve}`);
  }
  const cveReference = { source_name: 'cve', external_id: cve, url: `https://www.cve.org/CVERecord?id=${cve}` };
  const externalReferences = [cveReference, ...(input.externalReferences ?? [])];
  const vulnerability: Vulnerability = Object.assign(
    buildCoreProperties('vulnerability', Object.assign({}, input, { externalReferences }), vulnerabilityIdForCve(cve)),
    { name: cve },
  );
  if (input.description !== undefined) vulnerability.description = input.description;
  return vulnerability;
}

// ---- note ----

export interface NoteInput extends CommonObjectOptions {
  content: string;
  objectRefs: readonly StixId[];
  abstract?: string;
  authors?: readonly string[];
}

export function buildNote(input: NoteInput): Note {
  const note: Note = Object.assign(buildCoreProperties('note', input), {
    content: input.content,
    object_refs: nonEmptyRefs('note', input.objectRefs),
  });
  if (input.abstract !== undefined) note.abstract = input.abstract;
  if (input.authors !== undefined && input.authors.length > 0) note.authors = [...input.authors];
  return note;
}

// ---- report ----

export interface ReportInput extends CommonObjectOptions {
  name: string;
  /** Default: `created`. */
  published?: TimestampInput;
  objectRefs: readonly StixId[];
  /** report-type-ov, e.g. `threat-report`. */
  reportTypes?: readonly string[];
  description?: string;
}

export function buildReport(input: ReportInput): Report {
  const core = buildCoreProperties('report', input);
  const report: Report = Object.assign(core, {
    name: input.name,
    published: input.published === undefined ? core.created : toStixTimestamp(input.published),
    object_refs: nonEmptyRefs('report', input.objectRefs),
  });
  if (input.description !== undefined) report.description = input.description;
  if (input.reportTypes !== undefined && input.reportTypes.length > 0) report.report_types = [...input.reportTypes];
  return report;
}

// ---- observed-data ----

export interface ObservedDataInput extends CommonObjectOptions {
  firstObserved: TimestampInput;
  lastObserved: TimestampInput;
  /** 1–999,999,999 (spec §4.14.1). */
  numberObserved: number;
  /** The SCOs (and SROs) observed. */
  objectRefs: readonly StixId[];
}

export function buildObservedData(input: ObservedDataInput): ObservedData {
  if (!Number.isInteger(input.numberObserved) || input.numberObserved < 1 || input.numberObserved > 999_999_999) {
    throw new StixInputError(`number_observed must be an integer from 1 to 999999999, got ${input.numberObserved}`);
  }
  const firstObserved = toStixTimestamp(input.firstObserved);
  const lastObserved = toStixTimestamp(input.lastObserved);
  if (lastObserved < firstObserved) {
    throw new StixInputError(`last_observed (${lastObserved}) is earlier than first_observed (${firstObserved})`);
  }
  return Object.assign(buildCoreProperties('observed-data', input), {
    first_observed: firstObserved,
    last_observed: lastObserved,
    number_observed: input.numberObserved,
    object_refs: nonEmptyRefs('observed-data', input.objectRefs),
  });
}

function nonEmptyRefs(type: string, refs: readonly StixId[]): StixId[] {
  if (refs.length === 0) {
    throw new StixInputError(`a ${type} needs at least one object ref`);
  }
  return [...refs];
}
