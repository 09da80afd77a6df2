import { OBJECT_DEFINITIONS } from './object-definitions';

/**
 * A strict STIX 2.1 reader's view of an object: only what the specification defines, no custom content (§11): no
 * custom object type, no custom property (top level or in the spec's nested types), no custom hash algorithm, and
 * no extension but the SCO's predefined ones and the published extension definitions the caller names.
 */

const CORE_PROPERTIES = [
  'type',
  'spec_version',
  'id',
  'created_by_ref',
  'created',
  'modified',
  'revoked',
  'labels',
  'confidence',
  'lang',
  'external_references',
  'object_marking_refs',
  'granular_markings',
  'extensions',
];
const SCO_PROPERTIES = [
  'type',
  'spec_version',
  'id',
  'object_marking_refs',
  'granular_markings',
  'defanged',
  'extensions',
];
const MARKING_DEFINITION_PROPERTIES = [
  'type',
  'spec_version',
  'id',
  'created_by_ref',
  'created',
  'external_references',
  'object_marking_refs',
  'granular_markings',
  'extensions',
];
const EXTERNAL_REFERENCE_PROPERTIES = new Set(['source_name', 'description', 'url', 'hashes', 'external_id']);
const KILL_CHAIN_PHASE_PROPERTIES = new Set(['kill_chain_name', 'phase_name']);
const GRANULAR_MARKING_PROPERTIES = new Set(['selectors', 'marking_ref', 'lang']);
/** §10.1 hash-algorithm-ov. */
const HASH_ALGORITHMS = new Set(['MD5', 'SHA-1', 'SHA-256', 'SHA-512', 'SHA3-256', 'SHA3-512', 'SSDEEP', 'TLSH']);

type JsonObject = Record<string, unknown>;

export function customContentErrors(object: JsonObject, publishedExtensions: ReadonlySet<string>): string[] {
  const type = String(object.type);
  const definition = OBJECT_DEFINITIONS[type];
  if (definition === undefined) return [`/type: "${type.slice(0, 60)}" is not a STIX 2.1 object type`];
  const common =
    type === 'marking-definition'
      ? MARKING_DEFINITION_PROPERTIES
      : definition.category === 'sco'
        ? SCO_PROPERTIES
        : CORE_PROPERTIES;
  const known = new Set([...common, ...Object.keys(definition.properties)]);
  const errors = unknownKeys(object, known, '');
  for (const [index, reference] of asObjects(object.external_references).entries()) {
    errors.push(...unknownKeys(reference, EXTERNAL_REFERENCE_PROPERTIES, `/external_references/${index}`));
    errors.push(...customHashes(reference.hashes, `/external_references/${index}/hashes`));
  }
  for (const [index, phase] of asObjects(object.kill_chain_phases).entries()) {
    errors.push(...unknownKeys(phase, KILL_CHAIN_PHASE_PROPERTIES, `/kill_chain_phases/${index}`));
  }
  for (const [index, marking] of asObjects(object.granular_markings).entries()) {
    errors.push(...unknownKeys(marking, GRANULAR_MARKING_PROPERTIES, `/granular_markings/${index}`));
  }
  errors.push(...customHashes(object.hashes, '/hashes'));
  if (isObject(object.extensions)) {
    for (const [name, extension] of Object.entries(object.extensions)) {
      const predefined = definition.extensions?.[name];
      if (predefined !== undefined && isObject(extension)) {
        errors.push(...unknownKeys(extension, new Set(Object.keys(predefined.properties)), `/extensions/${name}`));
      } else if (!publishedExtensions.has(name)) {
        errors.push(
          `/extensions/${name.slice(0, 80)}: not a predefined extension nor a published extension definition`,
        );
      }
    }
  }
  return errors;
}

function unknownKeys(object: JsonObject, known: ReadonlySet<string>, path: string): string[] {
  return Object.keys(object)
    .filter((key) => !known.has(key))
    .map((key) => `${path || '/'}: custom property "${key.slice(0, 60)}"`);
}

function customHashes(hashes: unknown, path: string): string[] {
  if (!isObject(hashes)) return [];
  return Object.keys(hashes)
    .filter((algorithm) => !HASH_ALGORITHMS.has(algorithm))
    .map((algorithm) => `${path}: custom hash algorithm "${algorithm.slice(0, 60)}"`);
}

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const asObjects = (value: unknown): JsonObject[] => (Array.isArray(value) ? value.filter(isObject) : []);
