import {
  EXTENSION_TYPES,
  OBJECT_DEFINITIONS,
  atLeastOneOf,
  type ExtensionDefinition,
  type ObjectDefinition,
  type PropertyKind,
  type PropertyMap,
} from './object-definitions';

/**
 * JSON schemas (draft-07, for ajv) built from the object definitions and the spec's common rules (§2 data types,
 * §3 common properties, §7.2 data markings). Every regular expression here is linear, so no input can make
 * validation backtrack.
 */

type Schema = Record<string, unknown>;

export const DEFINITIONS_ID = 'stix';
const ref = (name: string): Schema => ({ $ref: `${DEFINITIONS_ID}#/definitions/${name}` });

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}';
/** §3.1 type names: lower-case ASCII letters, digits and single hyphens, starting with a letter, 3–250 long. */
export const TYPE_NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const TYPE_NAME_SOURCE = '[a-z][a-z0-9]*(?:-[a-z0-9]+)*';
const IDENTIFIER = `^${TYPE_NAME_SOURCE}--${UUID}$`;
/** §2.16: RFC 3339, UTC, `Z`; the calendar day is checked by the stix-timestamp format. */
const TIMESTAMP = '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])T([01]\\d|2[0-3]):[0-5]\\d:([0-5]\\d|60)(\\.\\d+)?Z$';
/** §3.2: created and modified are precise to the millisecond. */
const TIMESTAMP_MILLISECONDS = '\\.\\d{3,}Z$';
/** §3.1 property names: a-z, 0-9 and underscore, starting with a letter, 3–250 long; `id` is the one shorter. */
const PROPERTY_NAME = '^(id|[a-z][a-z0-9_]{2,249})$';
/** §2.7 dictionary keys. */
const DICTIONARY_KEY = '^[a-zA-Z0-9_-]{1,250}$';
/** §3.3: predefined extension names end in -ext; extension definitions are referenced by id. */
const PREDEFINED_EXTENSION = `^${TYPE_NAME_SOURCE}-ext$`;
const EXTENSION_DEFINITION_ID = `^extension-definition--${UUID}$`;
/** §3.8 reserved property names: no object may use them. */
const RESERVED_PROPERTIES = ['severity', 'action', 'username', 'phone_numbers'];

/** §10.1 hash-algorithm-ov: the formats of the algorithms the spec names; others are any string. */
const HASH_FORMATS: Record<string, string> = {
  MD5: '^[a-fA-F0-9]{32}$',
  'SHA-1': '^[a-fA-F0-9]{40}$',
  'SHA-256': '^[a-fA-F0-9]{64}$',
  'SHA-512': '^[a-fA-F0-9]{128}$',
  'SHA3-256': '^[a-fA-F0-9]{64}$',
  'SHA3-512': '^[a-fA-F0-9]{128}$',
  SSDEEP: '^[a-zA-Z0-9/+:.]{1,128}$',
  TLSH: '^[a-zA-Z0-9]{70}$',
};

/** The TLP 1.0 marking definitions STIX 2.1 predefines (§7.2.1.4), which must appear exactly as printed. */
export const TLP_1_MARKING_DEFINITIONS = [
  ['white', 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9'],
  ['green', 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da'],
  ['amber', 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82'],
  ['red', 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed'],
] as const;

/** Definitions shared by every object schema, registered once under `$id: stix`. */
export function sharedDefinitions(): Schema {
  const identifierOfTypes = (prefix: string): Schema => ({
    type: 'string',
    pattern: IDENTIFIER,
    allOf: [{ pattern: prefix }],
  });
  return {
    $id: DEFINITIONS_ID,
    definitions: {
      identifier: { type: 'string', pattern: IDENTIFIER },
      markingDefinitionId: identifierOfTypes('^marking-definition--'),
      timestamp: { type: 'string', pattern: TIMESTAMP, format: 'stix-timestamp' },
      timestampMilliseconds: { allOf: [ref('timestamp'), { pattern: TIMESTAMP_MILLISECONDS }] },
      hex: { type: 'string', pattern: '^([a-fA-F0-9]{2})+$' },
      binary: {
        type: 'string',
        pattern: '^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{4}|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2}==)$',
      },
      url: { type: 'string', format: 'uri' },
      dictionary: {
        type: 'object',
        minProperties: 1,
        propertyNames: { pattern: DICTIONARY_KEY },
        additionalProperties: { not: { anyOf: [{ type: 'null' }, { type: 'array', maxItems: 0 }] } },
      },
      hashes: {
        type: 'object',
        minProperties: 1,
        propertyNames: { pattern: '^[a-zA-Z0-9_-]{3,250}$' },
        properties: Object.fromEntries(
          Object.entries(HASH_FORMATS).map(([algorithm, pattern]) => [algorithm, { type: 'string', pattern }]),
        ),
        additionalProperties: { type: 'string' },
      },
      killChainPhase: {
        type: 'object',
        properties: { kill_chain_name: { type: 'string' }, phase_name: { type: 'string' } },
        required: ['kill_chain_name', 'phase_name'],
      },
      // §2.5: a source name plus at least one of description, url, external_id; CVE and CAPEC ids have a form.
      externalReference: {
        type: 'object',
        properties: {
          source_name: { type: 'string' },
          description: { type: 'string' },
          url: ref('url'),
          hashes: ref('hashes'),
          external_id: { type: 'string' },
        },
        required: ['source_name'],
        allOf: [
          atLeastOneOf(['description', 'url', 'external_id']),
          {
            if: { properties: { source_name: { const: 'cve' } } },
            then: {
              required: ['external_id'],
              properties: { external_id: { pattern: '^CVE-\\d{4}-(0\\d{3}|[1-9]\\d{3,})$' } },
            },
          },
          {
            if: { properties: { source_name: { const: 'capec' } } },
            then: { required: ['external_id'], properties: { external_id: { pattern: '^CAPEC-\\d+$' } } },
          },
        ],
      },
      // §7.2.3: selectors into the object, and the marking (or the language) they carry.
      granularMarking: {
        type: 'object',
        properties: {
          selectors: {
            type: 'array',
            minItems: 1,
            items: { type: 'string', pattern: '^(id|[a-z0-9_-]{3,249})(\\.(\\[\\d+\\]|[a-z0-9_-]{1,250}))*$' },
          },
          marking_ref: ref('markingDefinitionId'),
          lang: { type: 'string' },
        },
        required: ['selectors'],
        oneOf: [{ required: ['marking_ref'] }, { required: ['lang'] }],
      },
      // §7.3: an extension defined by an extension-definition names its type.
      extensionByDefinition: {
        type: 'object',
        properties: { extension_type: { enum: EXTENSION_TYPES } },
        required: ['extension_type'],
      },
    },
  };
}

function propertySchema(kind: PropertyKind): Schema {
  if (typeof kind === 'object') {
    if ('enum' in kind) return { type: 'string', enum: kind.enum };
    if ('enumList' in kind) return { type: 'array', minItems: 1, items: { type: 'string', enum: kind.enumList } };
    if ('identifierOf' in kind) return identifierOf(kind.identifierOf);
    if ('identifiersOf' in kind) return { type: 'array', minItems: 1, items: identifierOf(kind.identifiersOf) };
    if ('integerRange' in kind)
      return { type: 'integer', minimum: kind.integerRange[0], maximum: kind.integerRange[1] };
    if ('numberRange' in kind) return { type: 'number', minimum: kind.numberRange[0], maximum: kind.numberRange[1] };
    if ('stringPattern' in kind) return { type: 'string', pattern: kind.stringPattern };
    return kind.schema;
  }
  switch (kind) {
    case 'string':
      return { type: 'string' };
    case 'strings':
      return { type: 'array', minItems: 1, items: { type: 'string' } };
    case 'anyStrings':
      return { type: 'array', items: { type: 'string' } };
    case 'boolean':
      return { type: 'boolean' };
    case 'integer':
      return { type: 'integer' };
    case 'nonNegativeInteger':
      return { type: 'integer', minimum: 0 };
    case 'number':
      return { type: 'number' };
    case 'identifiers':
      return { type: 'array', minItems: 1, items: ref('identifier') };
    case 'killChainPhases':
      return { type: 'array', minItems: 1, items: ref('killChainPhase') };
    case 'identifier':
    case 'timestamp':
    case 'hashes':
    case 'dictionary':
    case 'hex':
    case 'binary':
    case 'url':
      return ref(kind);
  }
}

/** An identifier of one of the types given, or of any type but those given with `!`. */
function identifierOf(types: readonly string[]): Schema {
  const excluded = types.filter((type) => type.startsWith('!')).map((type) => type.slice(1));
  const allowed = types.filter((type) => !type.startsWith('!'));
  const constraint =
    allowed.length > 0 ? { pattern: `^(${allowed.join('|')})--` } : { not: { pattern: `^(${excluded.join('|')})--` } };
  return { allOf: [ref('identifier'), constraint] };
}

const propertiesOf = (map: PropertyMap): Record<string, Schema> =>
  Object.fromEntries(Object.entries(map).map(([name, kind]) => [name, propertySchema(kind)]));

/** Rules for every property, custom ones included; names ending _ref, _refs, _bin and _hex have a form (§3.1). */
const CUSTOM_PROPERTY_FORMS: Schema = {
  // No property is null or an empty list, whichever property it is (§3.1).
  '.': { not: { anyOf: [{ type: 'null' }, { type: 'array', maxItems: 0 }] } },
  _ref$: ref('identifier'),
  _refs$: { type: 'array', minItems: 1, items: ref('identifier') },
  _bin$: ref('binary'),
  _hex$: ref('hex'),
};

function extensionsSchema(predefined: Readonly<Record<string, ExtensionDefinition>> | undefined): Schema {
  const predefinedSchemas = Object.fromEntries(
    Object.entries(predefined ?? {}).map(([name, extension]) => [
      name,
      {
        type: 'object',
        properties: propertiesOf(extension.properties),
        ...(extension.required ? { required: extension.required } : {}),
        ...(extension.anyOf ? atLeastOneOf(extension.anyOf) : {}),
      },
    ]),
  );
  return {
    type: 'object',
    minProperties: 1,
    properties: predefinedSchemas,
    patternProperties: {
      [PREDEFINED_EXTENSION]: { type: 'object', minProperties: 1 },
      [EXTENSION_DEFINITION_ID]: ref('extensionByDefinition'),
    },
    additionalProperties: false,
  };
}

/** The common properties of SDOs and SROs (§3.2), or of SCOs (§6, common properties). */
function commonProperties(type: string | undefined, category: 'core' | 'sco', definition?: ObjectDefinition): Schema {
  const id = type === undefined ? ref('identifier') : { type: 'string', pattern: `^${type}--${UUID}$` };
  const shared: Record<string, Schema> = {
    type: type === undefined ? { type: 'string' } : { const: type },
    spec_version: { const: '2.1' },
    id,
    object_marking_refs: { type: 'array', minItems: 1, items: ref('markingDefinitionId') },
    granular_markings: { type: 'array', minItems: 1, items: ref('granularMarking') },
    extensions: extensionsSchema(definition?.extensions),
  };
  const own =
    category === 'core'
      ? {
          created_by_ref: identifierOf(['identity']),
          created: ref('timestampMilliseconds'),
          modified: ref('timestampMilliseconds'),
          revoked: { type: 'boolean' },
          labels: { type: 'array', minItems: 1, items: { type: 'string' } },
          confidence: { type: 'integer', minimum: 0, maximum: 100 },
          lang: { type: 'string' },
          external_references: { type: 'array', minItems: 1, items: ref('externalReference') },
        }
      : { defanged: { type: 'boolean' } };
  return {
    type: 'object',
    properties: { ...shared, ...own, ...propertiesOf(definition?.properties ?? {}) },
    propertyNames: { pattern: PROPERTY_NAME },
    patternProperties: CUSTOM_PROPERTY_FORMS,
    required: [
      ...(category === 'core' ? ['type', 'spec_version', 'id', 'created', 'modified'] : ['type', 'id']),
      ...(definition?.required ?? []),
    ],
    allOf: [
      { not: { anyOf: RESERVED_PROPERTIES.map((name) => ({ required: [name] })) } },
      ...(definition?.constraints ?? []),
    ],
  };
}

/** §7.2: marking definitions have their own common properties; TLP 1.0 ones are fixed objects. */
function markingDefinitionSchema(): Schema {
  const definition = OBJECT_DEFINITIONS['marking-definition'] as ObjectDefinition;
  const tlp1 = TLP_1_MARKING_DEFINITIONS.map(([level, id]) => ({
    properties: {
      id: { const: id },
      name: { const: `TLP:${level.toUpperCase()}` },
      created: { const: '2017-01-20T00:00:00.000Z' },
      definition: {
        type: 'object',
        properties: { tlp: { const: level } },
        required: ['tlp'],
        additionalProperties: false,
      },
    },
    required: ['name', 'definition'],
  }));
  return {
    type: 'object',
    properties: {
      type: { const: 'marking-definition' },
      spec_version: { const: '2.1' },
      id: { type: 'string', pattern: `^marking-definition--${UUID}$` },
      created_by_ref: identifierOf(['identity']),
      created: ref('timestamp'),
      external_references: { type: 'array', minItems: 1, items: ref('externalReference') },
      object_marking_refs: { type: 'array', minItems: 1, items: ref('markingDefinitionId') },
      granular_markings: { type: 'array', minItems: 1, items: ref('granularMarking') },
      extensions: {
        type: 'object',
        minProperties: 1,
        patternProperties: { [EXTENSION_DEFINITION_ID]: ref('extensionByDefinition') },
        additionalProperties: false,
      },
      ...propertiesOf(definition.properties),
    },
    propertyNames: { pattern: PROPERTY_NAME },
    patternProperties: CUSTOM_PROPERTY_FORMS,
    required: ['type', 'spec_version', 'id', 'created'],
    allOf: [
      { not: { anyOf: RESERVED_PROPERTIES.map((name) => ({ required: [name] })) } },
      // definition_type and definition go together, and are required unless an extension defines the marking.
      { if: { required: ['definition_type'] }, then: { required: ['definition'] } },
      { if: { required: ['definition'] }, then: { required: ['definition_type'] } },
      { if: { not: { required: ['extensions'] } }, then: { required: ['definition_type'] } },
      {
        if: { properties: { definition_type: { const: 'statement' } }, required: ['definition_type'] },
        then: {
          properties: {
            definition: { type: 'object', properties: { statement: { type: 'string' } }, required: ['statement'] },
          },
        },
      },
      {
        if: { properties: { definition_type: { const: 'tlp' } }, required: ['definition_type'] },
        then: { oneOf: tlp1 },
      },
    ],
  };
}

/** The schema of each STIX 2.1 object type, by type. */
export function objectSchemas(): Map<string, Schema> {
  const schemas = new Map<string, Schema>();
  for (const [type, definition] of Object.entries(OBJECT_DEFINITIONS)) {
    if (type === 'marking-definition') schemas.set(type, markingDefinitionSchema());
    else schemas.set(type, commonProperties(type, definition.category === 'sco' ? 'sco' : 'core', definition));
  }
  return schemas;
}

/** Objects of custom types (§11.2): the common properties of an SDO/SRO (with `created`) or of an SCO. */
export function customObjectSchemas(): { core: Schema; sco: Schema } {
  return { core: commonProperties(undefined, 'core'), sco: commonProperties(undefined, 'sco') };
}

/** §8 bundle: its own two properties plus the list of objects (checked one by one by the validator). */
export function bundleEnvelopeSchema(): Schema {
  return {
    type: 'object',
    properties: {
      type: { const: 'bundle' },
      id: { type: 'string', pattern: `^bundle--${UUID}$` },
      objects: { type: 'array', minItems: 1 },
    },
    required: ['type', 'id'],
  };
}
