import { StixInputError } from './errors';
import { canonicalizeJson, type JsonValue } from './json-canonicalize';
import type { StixCyberObservable, StixHashAlgorithm, StixId } from './types';
import { parseUuidNamespace, uuidV4, uuidV5 } from './uuid';

/** STIX 2.1 §2.9: the namespace every producer uses for deterministic SCO ids. SDOs must never use it. */
export const STIX_SCO_ID_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';

/**
 * Vigia's UUIDv5 namespaces for deterministic SDO ids (random v4 UUIDs drawn once; never change them, or every
 * id already shared changes). The name hashed in each is documented on the function that uses it.
 */
export const VIGIA_IDENTITY_NAMESPACE = 'fdcf1404-e9e4-4c2c-92f9-4464557c0f87';
export const VIGIA_INDICATOR_NAMESPACE = '4929edd8-0104-4802-ab01-f52213fa586e';
export const VIGIA_VULNERABILITY_NAMESPACE = '423e7ba1-d55b-4d5d-a6ff-038c46c90f77';
export const VIGIA_SIGHTING_NAMESPACE = 'd9d286fe-376d-44ed-968a-9fe957c05206';
export const VIGIA_LOCATION_NAMESPACE = 'eaca519d-0697-4b14-8371-f24160a6ffe9';
export const VIGIA_RELATIONSHIP_NAMESPACE = '9775cd72-a8aa-4723-90b5-6142fd946d15';

const SCO_NAMESPACE_BYTES = parseUuidNamespace(STIX_SCO_ID_NAMESPACE);
const IDENTITY_NAMESPACE_BYTES = parseUuidNamespace(VIGIA_IDENTITY_NAMESPACE);
const INDICATOR_NAMESPACE_BYTES = parseUuidNamespace(VIGIA_INDICATOR_NAMESPACE);
const VULNERABILITY_NAMESPACE_BYTES = parseUuidNamespace(VIGIA_VULNERABILITY_NAMESPACE);
const SIGHTING_NAMESPACE_BYTES = parseUuidNamespace(VIGIA_SIGHTING_NAMESPACE);
const LOCATION_NAMESPACE_BYTES = parseUuidNamespace(VIGIA_LOCATION_NAMESPACE);
const RELATIONSHIP_NAMESPACE_BYTES = parseUuidNamespace(VIGIA_RELATIONSHIP_NAMESPACE);

/** `<type>--<random UUIDv4>`, the id STIX recommends for SDOs, SROs, meta objects and bundles. */
export function randomStixId<TType extends string>(type: TType): StixId<TType> {
  return `${type}--${uuidV4()}`;
}

/** The caller's id if given (checked to carry the right type prefix), else a random one. */
export function resolveStixId<TType extends string>(type: TType, suppliedId: string | undefined): StixId<TType> {
  if (suppliedId === undefined) {
    return randomStixId(type);
  }
  if (!isStixIdOfType(type, suppliedId)) {
    throw new StixInputError(`id ${suppliedId} is not a ${type} id`);
  }
  return suppliedId;
}

function isStixIdOfType<TType extends string>(type: TType, id: string): id is StixId<TType> {
  return id.startsWith(`${type}--`) && id.length > type.length + 2;
}

/**
 * The identity id of a Vigia organisation: UUIDv5 in VIGIA_IDENTITY_NAMESPACE over the organisation id exactly as
 * given (UTF-8), so pass its one canonical spelling (e.g. the lower-case UUID the database returns).
 */
export function identityIdForOrganisation(organisationId: string): StixId<'identity'> {
  return `identity--${uuidV5(IDENTITY_NAMESPACE_BYTES, organisationId)}`;
}

/**
 * The indicator id of a STIX pattern: UUIDv5 in VIGIA_INDICATOR_NAMESPACE over the exact pattern string, so every
 * Vigia CSIRT that shares the same indicator value with the same audience shares one indicator id. stixPatternFor gives one pattern per
 * canonical value, so equal values give equal ids.
 */
export function indicatorIdForPattern(pattern: string, audience?: string): StixId<'indicator'> {
  return `indicator--${uuidV5(INDICATOR_NAMESPACE_BYTES, withAudience(pattern, audience))}`;
}

/**
 * The name an object's id is computed from when it belongs to a restricted audience (a newline cannot occur in a
 * pattern or a CVE id); the network audience (`undefined` or `network`) keeps the value's own id.
 */
const withAudience = (name: string, audience: string | undefined): string =>
  audience === undefined || audience === 'network' ? name : `${name}\n${audience}`;

/** The vulnerability id of a CVE: UUIDv5 in VIGIA_VULNERABILITY_NAMESPACE over the upper-case CVE id. */
export function vulnerabilityIdForCve(cveId: string, audience?: string): StixId<'vulnerability'> {
  return `vulnerability--${uuidV5(VULNERABILITY_NAMESPACE_BYTES, withAudience(cveId.toUpperCase(), audience))}`;
}

/**
 * The id of the one sighting that says "this identity has seen that object": UUIDv5 in VIGIA_SIGHTING_NAMESPACE over
 * `<sighting_of_ref> <identity id>`. Each further report of the same organisation makes a new version of it (count,
 * last_seen), so reprocessing never adds a second sighting.
 */
export function sightingIdFor(sightingOf: StixId, sightedBy: StixId<'identity'>): StixId<'sighting'> {
  return `sighting--${uuidV5(SIGHTING_NAMESPACE_BYTES, `${sightingOf} ${sightedBy}`)}`;
}

// ---- Deterministic SCO ids (STIX 2.1 §2.9 and each SCO's "ID Contributing Properties") ----

type ScoType = StixCyberObservable['type'];

/** Every property that contributes to the id of one of the SCO types we produce; an SCO object itself fits. */
export interface ScoIdProperties {
  readonly value?: string;
  readonly number?: number;
  readonly hashes?: Readonly<Record<string, string>>;
  readonly name?: string;
  readonly extensions?: Readonly<Record<string, { readonly [property: string]: JsonValue }>>;
  readonly parent_directory_ref?: string;
}

/** ID contributing properties per SCO type, as listed in STIX 2.1 §6. */
export const SCO_ID_CONTRIBUTING_PROPERTIES: Readonly<Record<ScoType, readonly (keyof ScoIdProperties)[]>> = {
  'autonomous-system': ['number'],
  'domain-name': ['value'],
  'email-addr': ['value'],
  file: ['hashes', 'name', 'extensions', 'parent_directory_ref'],
  'ipv4-addr': ['value'],
  'ipv6-addr': ['value'],
  url: ['value'],
};

/** STIX 2.1 §6.7.1: a file id uses one hash, the first present in this order of preference. */
export const SCO_ID_HASH_PREFERENCE: readonly StixHashAlgorithm[] = ['MD5', 'SHA-1', 'SHA-256', 'SHA-512'];

/**
 * The deterministic id of an SCO: UUIDv5 in the STIX SCO namespace over the RFC 8785 canonical JSON of its ID
 * contributing properties. When none is present the spec requires a random UUIDv4 instead.
 */
export function scoIdFor<TType extends ScoType>(type: TType, properties: ScoIdProperties): StixId<TType> {
  const contributing: Record<string, JsonValue> = {};
  let anyPresent = false;
  for (const name of SCO_ID_CONTRIBUTING_PROPERTIES[type]) {
    const value =
      name === 'hashes' && properties.hashes !== undefined ? selectIdHash(properties.hashes) : properties[name];
    if (value !== undefined) {
      contributing[name] = value;
      anyPresent = true;
    }
  }
  if (!anyPresent) {
    return randomStixId(type);
  }
  return `${type}--${uuidV5(SCO_NAMESPACE_BYTES, canonicalizeJson(contributing))}`;
}

/**
 * Keeps the one hash that contributes to a file id. With none of the preferred algorithms, it keeps the first
 * key in insertion order, as the OASIS reference implementation (cti-python-stix2 `_choose_one_hash`) does.
 */
function selectIdHash(hashes: Readonly<Record<string, string>>): Record<string, string> {
  for (const algorithm of SCO_ID_HASH_PREFERENCE) {
    const hash = hashes[algorithm];
    if (hash !== undefined) {
      return { [algorithm]: hash };
    }
  }
  const [first] = Object.keys(hashes);
  if (first === undefined) {
    throw new StixInputError('a file hashes dictionary must not be empty');
  }
  return { [first]: hashes[first] };
}

/** The location of a country: UUIDv5 in VIGIA_LOCATION_NAMESPACE over its upper-case ISO 3166-1 alpha-2 code. */
export function locationIdForCountry(country: string): StixId<'location'> {
  return `location--${uuidV5(LOCATION_NAMESPACE_BYTES, country.toUpperCase())}`;
}

/**
 * The id of the one relationship of a type between two objects: UUIDv5 in VIGIA_RELATIONSHIP_NAMESPACE over
 * `<source id> <relationship type> <target id>`, so re-emitting it never makes a second one.
 */
export function relationshipIdFor(
  sourceRef: StixId,
  relationshipType: string,
  targetRef: StixId,
): StixId<'relationship'> {
  return `relationship--${uuidV5(RELATIONSHIP_NAMESPACE_BYTES, `${sourceRef} ${relationshipType} ${targetRef}`)}`;
}
