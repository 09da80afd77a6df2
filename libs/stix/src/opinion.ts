import { buildCoreProperties, type CommonObjectOptions } from './common-properties';
import { StixInputError } from './errors';
import type { StixCoreObject, StixId } from './types';

/** STIX 2.1 opinion-enum (spec §10.11). */
export const OPINION_VALUES = ['strongly-disagree', 'disagree', 'neutral', 'agree', 'strongly-agree'] as const;
export type OpinionValue = (typeof OPINION_VALUES)[number];

export interface Opinion extends StixCoreObject<'opinion'> {
  explanation?: string;
  authors?: string[];
  opinion: OpinionValue;
  object_refs: StixId[];
}

export interface OpinionInput extends CommonObjectOptions {
  opinion: OpinionValue;
  objectRefs: readonly StixId[];
  explanation?: string;
}

/** An opinion (spec §4.10): how much its creator agrees with the objects it refers to. */
export function buildOpinion(input: OpinionInput): Opinion {
  if (!OPINION_VALUES.includes(input.opinion)) throw new StixInputError(`not an opinion value: ${input.opinion}`);
  if (input.objectRefs.length === 0) throw new StixInputError('an opinion refers to at least one object');
  const opinion: Opinion = Object.assign(buildCoreProperties('opinion', input), {
    opinion: input.opinion,
    object_refs: [...input.objectRefs],
  });
  if (input.explanation !== undefined && input.explanation !== '') opinion.explanation = input.explanation;
  return opinion;
}
