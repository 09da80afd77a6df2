import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { STIX_OBJECT_TYPES } from '../src/validation/object-definitions';
import { MAX_PATTERN_NESTING } from '../src/validation/pattern-syntax';
import { MAX_STIX_NESTING, StixValidator } from '../src/stix-validator';
import { describeWithOasisSchemas, OasisSchemaValidator } from './oasis-schema-validator';
import { VALID_OBJECTS } from './stix-corpus';

/**
 * Conformance of Vigia's own STIX 2.1 validator with the OASIS JSON schemas (the oracle, found beside the
 * checkout): over a corpus of valid objects of every type, thousands of mutations of them, the spec's examples and
 * hostile input, both must give the same verdict, except for the deliberate differences listed below, where ours
 * applies a rule of the specification the schemas do not express. Each listed difference must still occur, so the
 * list cannot go stale.
 */

type StixJson = Record<string, unknown>;

const BUNDLE_ID = 'bundle--6b0c6d3e-8a1b-4c2d-9e3f-4a5b6c7d8e9f';

/** Mutation name (`type property=value` or a named case) → the spec rule ours applies and the schemas do not. */
const STRICTER_THAN_SCHEMAS: Readonly<Record<string, string>> = {
  'incident kill_chain_phases=42': '§4.6 incident has kill_chain_phases; the schema omits the property',
  'incident kill_chain_phases=str': '§4.6 (as above)',
  'incident kill_chain_phases={}': '§4.6 (as above)',
  'incident kill_chain_phases=true': '§4.6 (as above)',
  'incident kill_chain_phases=[42]': '§4.6 (as above)',
  'indicator pattern=str': 'Part 5 §9: a stix pattern must parse; the schemas do not read patterns',
  'email-addr belongs_to_ref=str': '§3.1: properties ending _ref hold identifiers; the schema takes any string',
  'email-message from_ref=str': '§3.1 (as above)',
  'network-traffic src_ref=str': '§3.1 (as above)',
  'network-traffic dst_ref=str': '§3.1 (as above)',
  'process image_ref=str': '§3.1 (as above)',
  'marking-definition definition={}': '§7.2.1.4: a TLP 1.0 marking definition is exactly {"tlp": "<level>"}',
  'indicator pattern with AND but no closing bracket': 'Part 5 §9 pattern grammar',
  'indicator pattern with an unknown operator': 'Part 5 §9 pattern grammar',
  'campaign created on 30 February': '§2.16 RFC 3339 timestamps name real days',
  'indicator valid_until before valid_from': '§4.7: valid_until must be later than valid_from',
  'campaign modified before created': '§3.2: modified is later than or equal to created',
  'campaign last_seen before first_seen': '§4.2: last_seen is not before first_seen',
  'identity with an upper-case property name': '§3.1: property names are lower case (the schema regex is unanchored)',
  'custom object whose id names another type': '§2.9: an identifier starts with its object type',
  'campaign with spec_version 2.0': 'STIX 2.1 objects carry spec_version 2.1',
  'campaign with a marking ref to an identity': '§7.2.2: object_marking_refs name marking definitions',
};

/**
 * The OASIS bundle schema lists the types it knows in a oneOf that omits these six, and takes anything else for a
 * custom object, which an SDO-shaped object matches twice (as SDO and as SCO): it refuses every bundle holding one.
 * Bundles are compared without them; the objects themselves are compared one by one.
 */
const MISSING_FROM_OASIS_BUNDLE_SCHEMA = [
  'grouping',
  'incident',
  'location',
  'note',
  'opinion',
  'extension-definition',
];

const SPECIAL_VALUES: readonly (readonly [string, unknown])[] = [
  ['42', 42],
  ['str', 'x'],
  ['[]', []],
  ['{}', {}],
  ['null', null],
  ['true', true],
  ['[42]', [42]],
];

/** Each property removed, and each set to values of every JSON kind. */
function mutationsOf(base: StixJson): [string, StixJson][] {
  const mutations: [string, StixJson][] = [];
  for (const property of Object.keys(base)) {
    const without = { ...base };
    delete without[property];
    mutations.push([`${String(base.type)} -${property}`, without]);
    for (const [name, value] of SPECIAL_VALUES) {
      mutations.push([`${String(base.type)} ${property}=${name}`, { ...base, [property]: value }]);
    }
  }
  return mutations;
}

const byType = (type: string): StixJson => VALID_OBJECTS.find((object) => object.type === type) as StixJson;

/** Named invalid (or questionable) objects: the schemas' rules and the spec's, one case each. */
function namedCases(): [string, StixJson][] {
  const campaign = byType('campaign');
  const indicator = byType('indicator');
  const identity = byType('identity');
  return [
    ['campaign id of another type', { ...campaign, id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f' }],
    ['campaign id with a version-0 UUID', { ...campaign, id: 'campaign--8e2e2d2b-17d4-0cbf-938f-98ee46b3cd3f' }],
    ['campaign created without milliseconds', { ...campaign, created: '2024-03-01T10:00:00Z' }],
    ['campaign created with an offset', { ...campaign, created: '2024-03-01T10:00:00.000+01:00' }],
    ['campaign created on 30 February', { ...campaign, created: '2024-02-30T10:00:00.000Z' }],
    ['campaign modified before created', { ...campaign, modified: '2024-02-01T10:00:00.000Z' }],
    ['campaign last_seen before first_seen', { ...campaign, last_seen: '2016-01-01T00:00:00Z' }],
    ['campaign with spec_version 2.0', { ...campaign, spec_version: '2.0' }],
    ['campaign with a reserved property', { ...campaign, severity: 'high' }],
    ['campaign confidence 101', { ...campaign, confidence: 101 }],
    ['campaign external reference without detail', { ...campaign, external_references: [{ source_name: 'x' }] }],
    [
      'campaign CVE reference with a bad id',
      { ...campaign, external_references: [{ source_name: 'cve', external_id: 'CVE-1' }] },
    ],
    ['campaign with a marking ref to an identity', { ...campaign, object_marking_refs: [identity.id] }],
    ['campaign with a custom property', { ...campaign, x_acme_priority: 3 }],
    ['campaign with a bad custom _hex property', { ...campaign, x_acme_hex: 'xyz' }],
    ['campaign with a predefined-style extension', { ...campaign, extensions: { 'acme-ext': { acme_level: 1 } } }],
    [
      'campaign with an extension-definition extension',
      {
        ...campaign,
        extensions: {
          'extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e': {
            extension_type: 'property-extension',
            rank: 5,
          },
        },
      },
    ],
    [
      'campaign with an extension lacking extension_type',
      { ...campaign, extensions: { 'extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e': { rank: 5 } } },
    ],
    [
      'campaign with a granular marking',
      {
        ...campaign,
        granular_markings: [{ selectors: ['description'], marking_ref: byType('marking-definition').id }],
      },
    ],
    ['identity with an upper-case property name', { ...identity, acme_Level: 1 }],
    ['indicator valid_until before valid_from', { ...indicator, valid_until: '2015-01-01T00:00:00Z' }],
    [
      'indicator pattern with AND but no closing bracket',
      { ...indicator, pattern: "[file:name = 'a' AND file:size > 5" },
    ],
    ['indicator pattern with an unknown operator', { ...indicator, pattern: "[file:name ~ 'a']" }],
    [
      'indicator with a full STIX pattern',
      {
        ...indicator,
        pattern:
          "([file:hashes.'SHA-256' = 'aec0' AND file:size >= 10] FOLLOWEDBY [network-traffic:dst_ref.value ISSUBSET '10.0.0.0/8']) " +
          "WITHIN 300 SECONDS REPEATS 2 TIMES START t'2016-01-01T00:00:00Z' STOP t'2016-02-01T00:00:00Z'",
      },
    ],
    ['indicator with a Sigma pattern', { ...indicator, pattern: 'title: x\ndetection: {}', pattern_type: 'sigma' }],
    ['ipv4-addr with a CIDR', { ...byType('ipv4-addr'), value: '198.51.100.0/24' }],
    ['ipv4-addr with an octet over 255', { ...byType('ipv4-addr'), value: '198.51.100.256' }],
    ['ipv4-addr with prefix 33', { ...byType('ipv4-addr'), value: '198.51.100.0/33' }],
    ['ipv6-addr compressed', { ...byType('ipv6-addr'), value: '2001:db8::1' }],
    ['ipv6-addr with a CIDR', { ...byType('ipv6-addr'), value: '2001:db8::/32' }],
    ['ipv6-addr that is no address', { ...byType('ipv6-addr'), value: '2001:db8:::1:z' }],
    ['domain-name with a space', { ...byType('domain-name'), value: 'exa mple.com' }],
    ['domain-name internationalised', { ...byType('domain-name'), value: 'bücher.example' }],
    ['email-addr without @', { ...byType('email-addr'), value: 'john.example.com' }],
    ['url that is relative', { ...byType('url'), value: '/index.html' }],
    ['mac-addr in upper case', { ...byType('mac-addr'), value: 'D2:FB:49:24:37:18' }],
    ['file with a bad MD5', { ...byType('file'), hashes: { MD5: 'abc' } }],
    ['file with an unknown hash algorithm', { ...byType('file'), hashes: { 'x-acme': 'abc' } }],
    ['file with a negative size', { ...byType('file'), size: -1 }],
    ['artifact with both payload and url', { ...byType('artifact'), payload_bin: 'aGVsbG8=' }],
    ['network-traffic active with an end', { ...byType('network-traffic'), is_active: true }],
    ['network-traffic port 70000', { ...byType('network-traffic'), dst_port: 70000 }],
    ['malware family without a name', (({ name: _name, ...rest }) => rest)(byType('malware'))],
    ['location latitude without longitude', (({ longitude: _l, precision: _p, ...rest }) => rest)(byType('location'))],
    ['relationship from a sighting', { ...byType('relationship'), source_ref: byType('sighting').id }],
    ['sighting where_sighted_refs to an indicator', { ...byType('sighting'), where_sighted_refs: [indicator.id] }],
    ['opinion outside its enumeration', { ...byType('opinion'), opinion: 'meh' }],
    ['observed-data with objects and object_refs', { ...byType('observed-data'), objects: { '0': { type: 'x' } } }],
    ['windows-registry-key with an abbreviated hive', { ...byType('windows-registry-key'), key: 'HKLM\\system' }],
    [
      'custom object whose id names another type',
      { type: 'x-partner-score', id: 'indicator--0b7c5c3c-1c1a-4f6e-9f43-1f5f2a4e9d10', score: 1 },
    ],
  ];
}

describeWithOasisSchemas('STIX 2.1 conformance: own validator against the OASIS schemas', (schemaDirectory) => {
  let ours: StixValidator;
  let oracle: OasisSchemaValidator;
  beforeAll(() => {
    ours = new StixValidator();
    oracle = new OasisSchemaValidator(schemaDirectory);
  });

  /** The oracle's verdict: its schema for the type, or, for custom types, its full bundle schema. */
  const oracleVerdict = (object: StixJson): boolean =>
    oracle.objectTypes.includes(String(object.type))
      ? oracle.validate(object).valid
      : oracle.validate({ type: 'bundle', id: BUNDLE_ID, objects: [object] }).valid;

  function disagreements(cases: [string, StixJson][]): string[] {
    return cases.flatMap(([name, object]) => {
      const our = ours.validate(object).valid;
      return our === oracleVerdict(object) ? [] : [`${name}: ours ${our ? 'accepts' : 'refuses'}`];
    });
  }

  it('knows exactly the object types the OASIS schemas define, and the corpus has one of each', () => {
    expect(ours.objectTypes).toEqual([...oracle.objectTypes].sort());
    expect(
      [...new Set(VALID_OBJECTS.map((object) => String(object.type)))].filter((type) => !type.startsWith('x-')).sort(),
    ).toEqual([...STIX_OBJECT_TYPES]);
  });

  it('both accept every valid object of the corpus', () => {
    for (const object of VALID_OBJECTS) {
      expect([object.type, ours.validate(object)]).toEqual([object.type, { valid: true, errors: [] }]);
      expect([object.type, oracleVerdict(object)]).toEqual([object.type, true]);
    }
  });

  it('agree on thousands of mutations and on named cases, except where ours applies a rule the schemas lack', () => {
    const cases = [...VALID_OBJECTS.flatMap(mutationsOf), ...namedCases()];
    expect(cases.length).toBeGreaterThan(3000);
    const found = disagreements(cases);
    const expected = Object.keys(STRICTER_THAN_SCHEMAS).map((name) => `${name}: ours refuses`);
    expect(found.sort()).toEqual(expected.sort());
  });

  it('agree on the specification’s examples, whole and object by object', () => {
    const examples = join(schemaDirectory, '..', 'examples');
    const files = [
      ...readdirSync(examples)
        .filter((name) => name.endsWith('.json'))
        .map((name) => join(examples, name)),
      ...readdirSync(join(examples, 'threat-reports')).map((name) => join(examples, 'threat-reports', name)),
    ];
    expect(files.length).toBeGreaterThanOrEqual(8);
    for (const file of files) {
      const document = JSON.parse(readFileSync(file, 'utf8')) as StixJson;
      expect([file, ours.validate(document).valid]).toEqual([file, oracle.validate(document).valid]);
      expect([file, ours.validate(document).errors]).toEqual([file, []]);
      const objects = (document.objects as StixJson[] | undefined) ?? [];
      expect(disagreements(objects.map((object, index) => [`${file}#${index}`, object]))).toEqual([]);
    }
  });

  it('agree on a bundle of the whole corpus and on broken bundles', () => {
    const objects = VALID_OBJECTS.filter((object) => !MISSING_FROM_OASIS_BUNDLE_SCHEMA.includes(String(object.type)));
    const bundle = { type: 'bundle', id: BUNDLE_ID, objects };
    const verdicts = (document: unknown) => [ours.validate(document).valid, oracle.validate(document).valid];
    expect(verdicts(bundle)).toEqual([true, true]);
    expect(verdicts({ ...bundle, objects: VALID_OBJECTS })).toEqual([true, false]);
    expect(verdicts({ ...bundle, id: 'bundle--1' })).toEqual([false, false]);
    expect(verdicts({ ...bundle, objects: [] })).toEqual([false, false]);
    expect(verdicts({ ...bundle, objects: [{ ...byType('campaign'), name: 7 }] })).toEqual([false, false]);
    expect(verdicts({ ...bundle, objects: ['not an object'] })).toEqual([false, false]);
  });

  it('refuse hostile input at once: a type name the schemas’ pattern backtracks on, deep nesting, long patterns', () => {
    const started = Date.now();
    const hostileType = { type: `${'a'.repeat(5000)}!`, id: 'x--1', spec_version: '2.1' };
    expect(ours.validate(hostileType).valid).toBe(false);
    expect(oracle.validate({ type: 'bundle', id: BUNDLE_ID, objects: [hostileType] }).valid).toBe(false);

    let deep: unknown = 'bottom';
    for (let level = 0; level < 100_000; level += 1) deep = { nested: deep };
    const tooDeep = ours.validate({ ...byType('campaign'), x_acme_blob: deep });
    expect(tooDeep.errors).toEqual([`/: nested deeper than ${MAX_STIX_NESTING} levels`]);

    const indicator = byType('indicator');
    const nestedPattern = `${'('.repeat(MAX_PATTERN_NESTING + 1)}[file:name = 'a']${')'.repeat(MAX_PATTERN_NESTING + 1)}`;
    expect(ours.validate({ ...indicator, pattern: nestedPattern }).errors[0]).toMatch(/nested deeper than/);
    const longPattern = Array.from({ length: 20_000 }, (_, index) => `[file:name = '${index}']`).join(' OR ');
    expect(ours.validate({ ...indicator, pattern: longPattern }).errors[0]).toMatch(/longer than/);
    const manyComparisons = `[${Array.from({ length: 2000 }, (_, index) => `file:name = '${index}'`).join(' OR ')}]`;
    expect(ours.validate({ ...indicator, pattern: manyComparisons }).valid).toBe(true);
    expect(ours.validate({ ...indicator, pattern: `[file:name = '${"\\'".repeat(20_000)}` }).valid).toBe(false);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
