import { VisibleObjectVersion } from '@vigia/database';
import { IndicatorType } from '@vigia/indicators';
import { StixId, StixObject, buildObservableFor, readStixPattern, relationshipIdFor } from '@vigia/stix';

type StixJson = Record<string, unknown> & { type: string; id: string };

/** Every id an object refers to (`*_ref`, `*_refs`), so a bundle can carry what its objects name. */
export function referencedIds(object: Record<string, unknown>): string[] {
  const ids: string[] = [];
  for (const [key, value] of Object.entries(object)) {
    if (key.endsWith('_ref') && typeof value === 'string') ids.push(value);
    else if (key.endsWith('_refs') && Array.isArray(value)) {
      for (const ref of value) if (typeof ref === 'string') ids.push(ref);
    }
  }
  return ids;
}

/** The SCO a Vigia value indicator stands for (its pattern is one comparison), if any. */
export function observableIdOf(indicator: VisibleObjectVersion): string | undefined {
  if (indicator.type !== 'indicator' || indicator.imported) return undefined;
  const read = readStixPattern(String(indicator.object.pattern ?? ''));
  if ('reason' in read || read.indicators.length !== 1) return undefined;
  const [{ type, value }] = read.indicators as [{ type: IndicatorType; value: string }];
  if (type === IndicatorType.Cve) return undefined;
  try {
    return buildObservableFor(type, value).id;
  } catch {
    return undefined;
  }
}

/**
 * Vigia's value indicator `based-on` the SCO it describes: built when a report is exported (fixed id, the
 * indicator's creator, time and markings), so it never needs storing.
 */
export function basedOnRelationship(indicator: VisibleObjectVersion, observableId: string): StixJson {
  const object = indicator.object;
  const relationship: StixJson = {
    type: 'relationship',
    spec_version: '2.1',
    id: relationshipIdFor(indicator.stixId as StixId, 'based-on', observableId as StixId),
    created: object.created,
    modified: object.created,
    relationship_type: 'based-on',
    source_ref: indicator.stixId,
    target_ref: observableId,
  };
  if (typeof object.created_by_ref === 'string') relationship.created_by_ref = object.created_by_ref;
  if (Array.isArray(object.object_marking_refs)) relationship.object_marking_refs = object.object_marking_refs;
  return relationship;
}

/** The objects of a report's bundle: the report first, then what it refers to, as stored. */
export const bundleObjects = (
  report: VisibleObjectVersion,
  others: readonly VisibleObjectVersion[],
  relationships: readonly StixJson[],
): StixObject[] => [report.object, ...others.map((other) => other.object), ...relationships] as unknown as StixObject[];
