import { resolveStixId } from './identifiers';
import type { Bundle, StixObject } from './types';

export interface BundleOptions {
  /** Caller-supplied `bundle--…` id. Default: random. */
  id?: string;
}

/**
 * A bundle of the given objects in their order. Exact repeats (same id and same `modified`, or same id for
 * objects without one, such as SCOs and markings) are kept once, since deterministic ids make repeats common
 * when several indicators share an observable or a marking. Distinct versions of one object are all kept,
 * as STIX allows.
 */
export function buildBundle(objects: Iterable<StixObject>, options: BundleOptions = {}): Bundle {
  const seen = new Set<string>();
  const unique: StixObject[] = [];
  for (const object of objects) {
    const versionKey = 'modified' in object ? `${object.id}|${object.modified}` : object.id;
    if (!seen.has(versionKey)) {
      seen.add(versionKey);
      unique.push(object);
    }
  }
  const bundle: Bundle = { type: 'bundle', id: resolveStixId('bundle', options.id) };
  // STIX 2.1 §8: objects is optional, and the schema rejects an empty list.
  if (unique.length > 0) bundle.objects = unique;
  return bundle;
}
