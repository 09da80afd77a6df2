import { buildCoreProperties, optionalTimestamp, type CommonObjectOptions } from './common-properties';
import { StixInputError } from './errors';
import type { Relationship, Sighting, StixId } from './types';
import type { TimestampInput } from './timestamp';

export interface RelationshipInput extends CommonObjectOptions {
  /** e.g. `indicates`, `based-on`, `related-to` (lower-case letters, digits and hyphens). */
  relationshipType: string;
  sourceRef: StixId;
  targetRef: StixId;
  description?: string;
  startTime?: TimestampInput;
  stopTime?: TimestampInput;
}

const RELATIONSHIP_TYPE = /^[a-z0-9-]+$/;

export function buildRelationship(input: RelationshipInput): Relationship {
  if (!RELATIONSHIP_TYPE.test(input.relationshipType)) {
    throw new StixInputError(`not a relationship type: ${input.relationshipType}`);
  }
  const relationship: Relationship = Object.assign(buildCoreProperties('relationship', input), {
    relationship_type: input.relationshipType,
    source_ref: input.sourceRef,
    target_ref: input.targetRef,
  });
  if (input.description !== undefined) relationship.description = input.description;
  const startTime = optionalTimestamp(input.startTime);
  const stopTime = optionalTimestamp(input.stopTime);
  // Spec §5.1.1: stop_time must be later than start_time.
  if (startTime !== undefined && stopTime !== undefined && stopTime <= startTime) {
    throw new StixInputError(`stop_time (${stopTime}) must be later than start_time (${startTime})`);
  }
  if (startTime !== undefined) relationship.start_time = startTime;
  if (stopTime !== undefined) relationship.stop_time = stopTime;
  return relationship;
}

export interface SightingInput extends CommonObjectOptions {
  /** What was seen, usually an indicator id. */
  sightingOf: StixId;
  /** The identities (or locations) that saw it, e.g. the reporting organisation's identity id. */
  whereSighted?: readonly StixId<'identity' | 'location'>[];
  observedDataRefs?: readonly StixId<'observed-data'>[];
  firstSeen?: TimestampInput;
  lastSeen?: TimestampInput;
  /** 0–999,999,999 (spec §5.2.1). */
  count?: number;
  description?: string;
  summary?: boolean;
}

export function buildSighting(input: SightingInput): Sighting {
  const sighting: Sighting = Object.assign(buildCoreProperties('sighting', input), {
    sighting_of_ref: input.sightingOf,
  });
  if (input.description !== undefined) sighting.description = input.description;
  const firstSeen = optionalTimestamp(input.firstSeen);
  const lastSeen = optionalTimestamp(input.lastSeen);
  if (firstSeen !== undefined && lastSeen !== undefined && lastSeen < firstSeen) {
    throw new StixInputError(`last_seen (${lastSeen}) is earlier than first_seen (${firstSeen})`);
  }
  if (firstSeen !== undefined) sighting.first_seen = firstSeen;
  if (lastSeen !== undefined) sighting.last_seen = lastSeen;
  if (input.count !== undefined) {
    if (!Number.isInteger(input.count) || input.count < 0 || input.count > 999_999_999) {
      throw new StixInputError(`count must be an integer from 0 to 999999999, got ${input.count}`);
    }
    sighting.count = input.count;
  }
  if (input.observedDataRefs !== undefined && input.observedDataRefs.length > 0) {
    sighting.observed_data_refs = [...input.observedDataRefs];
  }
  if (input.whereSighted !== undefined && input.whereSighted.length > 0) {
    sighting.where_sighted_refs = [...input.whereSighted];
  }
  if (input.summary !== undefined) sighting.summary = input.summary;
  return sighting;
}
