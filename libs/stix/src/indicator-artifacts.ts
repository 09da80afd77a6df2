import { IndicatorType, type TlpLevel } from '@vigia/indicators';
import type { CommonObjectOptions } from './common-properties';
import { buildIndicator, buildVulnerability, type IndicatorInput } from './domain-objects';
import { indicatorIdForPattern } from './identifiers';
import { buildObservableFor } from './observables';
import { stixPatternFor } from './patterns';
import { stixNow } from './timestamp';
import { tlpMarkingFor } from './tlp';
import type { Indicator, StixCyberObservable, StixId, StixObject, Vulnerability } from './types';

export interface IndicatorArtifactOptions extends CommonObjectOptions {
  /** Adds the TLP 2.0 marking to every object built (on top of `markingRefs`). */
  tlp?: TlpLevel;
  /** Indicator only. Default: the indicator value. */
  name?: string;
  /** Indicator or vulnerability description. */
  description?: string;
  /** Indicator only; indicator-type-ov, e.g. `malicious-activity`. */
  indicatorTypes?: readonly string[];
  /** Indicator only. Default: `created`. */
  validFrom?: IndicatorInput['validFrom'];
  /** Indicator only. */
  validUntil?: IndicatorInput['validUntil'];
}

/** What one indicator value becomes in STIX. `objects` lists them all, ready for a bundle. */
export type IndicatorArtifacts =
  | {
      kind: 'indicator';
      indicator: Indicator;
      /** The SCO the pattern matches, carrying the same markings. */
      observable: StixCyberObservable;
      objects: [Indicator, StixCyberObservable];
    }
  | {
      kind: 'vulnerability';
      vulnerability: Vulnerability;
      objects: [Vulnerability];
    };

/**
 * Turns one canonical indicator value into STIX: a CVE becomes a vulnerability SDO (deterministic id per CVE);
 * every other type becomes an indicator with a STIX pattern and the SCO the pattern describes. The indicator id
 * is deterministic per pattern (indicatorIdForPattern) unless `options.id` is given, so CSIRTs sharing a value
 * share the indicator id; SCO ids follow STIX §2.9.
 */
export function buildIndicatorArtifacts(
  type: IndicatorType,
  value: string,
  options: IndicatorArtifactOptions = {},
): IndicatorArtifacts {
  // One clock read for every object built here.
  const created = options.created ?? stixNow();
  const markingRefs = markingRefsWithTlp(options.markingRefs, options.tlp);
  if (type === IndicatorType.Cve) {
    const vulnerability = buildVulnerability(Object.assign({}, options, { created, markingRefs, cve: value }));
    return { kind: 'vulnerability', vulnerability, objects: [vulnerability] };
  }
  const pattern = stixPatternFor(type, value);
  const observable = buildObservableFor(type, value, { markingRefs });
  const indicator = buildIndicator(
    Object.assign({}, options, { created, markingRefs, pattern, name: options.name ?? value }),
    indicatorIdForPattern(pattern),
  );
  return { kind: 'indicator', indicator, observable, objects: [indicator, observable] };
}

function markingRefsWithTlp(
  markingRefs: readonly StixId<'marking-definition'>[] | undefined,
  tlp: TlpLevel | undefined,
): readonly StixId<'marking-definition'>[] | undefined {
  if (tlp === undefined) {
    return markingRefs;
  }
  const tlpId = tlpMarkingFor(tlp).id;
  if (markingRefs === undefined || markingRefs.length === 0) {
    return [tlpId];
  }
  return markingRefs.includes(tlpId) ? markingRefs : [...markingRefs, tlpId];
}

/** Flattens artifacts of many values into one object list (for a bundle or a report's object_refs). */
export function artifactObjects(artifacts: Iterable<IndicatorArtifacts>): StixObject[] {
  const objects: StixObject[] = [];
  for (const artifact of artifacts) {
    objects.push(...artifact.objects);
  }
  return objects;
}
