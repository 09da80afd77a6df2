export * from './types';
export { StixInputError } from './errors';
export { toStixTimestamp, stixNow, type TimestampInput } from './timestamp';
export { canonicalizeJson, type JsonValue, type JsonPrimitive } from './json-canonicalize';
export {
  STIX_SCO_ID_NAMESPACE,
  VIGIA_IDENTITY_NAMESPACE,
  VIGIA_INDICATOR_NAMESPACE,
  VIGIA_VULNERABILITY_NAMESPACE,
  VIGIA_SIGHTING_NAMESPACE,
  VIGIA_LOCATION_NAMESPACE,
  VIGIA_RELATIONSHIP_NAMESPACE,
  SCO_ID_CONTRIBUTING_PROPERTIES,
  SCO_ID_HASH_PREFERENCE,
  randomStixId,
  identityIdForOrganisation,
  indicatorIdForPattern,
  vulnerabilityIdForCve,
  sightingIdFor,
  locationIdForCountry,
  relationshipIdFor,
  scoIdFor,
  type ScoIdProperties,
} from './identifiers';
export {
  HASH_ALGORITHM_BY_INDICATOR_TYPE,
  escapePatternString,
  stixPatternFor,
  parseAsNumber,
  type PatternableIndicatorType,
  type HashIndicatorType,
} from './patterns';
export {
  buildIpv4Address,
  buildIpv6Address,
  buildDomainName,
  buildUrl,
  buildEmailAddress,
  buildFileWithHash,
  buildAutonomousSystem,
  buildObservableFor,
  type ObservableOptions,
} from './observables';
export type { CommonObjectOptions } from './common-properties';
export {
  ORGANISATION_IDENTITY_EPOCH,
  buildIdentity,
  identityForOrganisation,
  organisationStixObjects,
  countryLocation,
  buildIndicator,
  buildVulnerability,
  buildNote,
  buildReport,
  buildObservedData,
  type IdentityInput,
  type Organisation,
  type OrganisationIdentityOptions,
  type OrganisationStixObjects,
  type IndicatorInput,
  type VulnerabilityInput,
  type NoteInput,
  type ReportInput,
  type ObservedDataInput,
} from './domain-objects';
export { buildRelationship, buildSighting, type RelationshipInput, type SightingInput } from './relationship-objects';
export {
  TLP_2_EXTENSION_DEFINITION_ID,
  TLP_2_MARKING_CREATED,
  TLP_2_MARKING_IDS,
  tlpMarkingFor,
  tlpLevelForMarkingId,
  tlpLevelForAnyMarkingId,
  strictestTlpOfMarkings,
  type TlpMarking,
} from './tlp';
export {
  buildIndicatorArtifacts,
  artifactObjects,
  type IndicatorArtifacts,
  type IndicatorArtifactOptions,
} from './indicator-artifacts';
export { buildBundle, type BundleOptions } from './bundle';
export { StixValidator, MAX_STIX_NESTING, type StixValidationResult } from './stix-validator';
export { STIX_OBJECT_TYPES } from './validation/object-definitions';
export { stixPatternSyntaxError, MAX_PATTERN_LENGTH, MAX_PATTERN_NESTING } from './validation/pattern-syntax';
export { readStixPattern, indicatorTypesOfPattern, type PatternIndicator } from './pattern-values';
export { OPINION_VALUES, buildOpinion, type Opinion, type OpinionInput, type OpinionValue } from './opinion';
