import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IndicatorType } from '@vigia/indicators';
import { buildBundle } from '../src/bundle';
import { buildIndicatorArtifacts } from '../src/indicator-artifacts';
import { buildIpv4Address } from '../src/observables';
import {
  describeWithOasisSchemas,
  resolveStixSchemaDirectory,
  STIX_SCHEMA_DIR_ENV,
  OasisSchemaValidator,
} from './oasis-schema-validator';

const validIndicator = buildIndicatorArtifacts(IndicatorType.Ipv4, '198.51.100.7').objects[0];

describeWithOasisSchemas('OasisSchemaValidator (the test oracle)', (schemaDirectory) => {
  let validator: OasisSchemaValidator;
  beforeAll(() => {
    validator = new OasisSchemaValidator(schemaDirectory);
  });

  it('finds the OASIS schemas and knows the object types we produce', () => {
    expect(validator.objectTypes).toEqual(
      expect.arrayContaining([
        'bundle',
        'marking-definition',
        'identity',
        'indicator',
        'note',
        'observed-data',
        'report',
        'vulnerability',
        'relationship',
        'sighting',
        'ipv4-addr',
        'ipv6-addr',
        'domain-name',
        'url',
        'email-addr',
        'file',
        'autonomous-system',
      ]),
    );
  });

  it('rejects an indicator without its required pattern, saying why', () => {
    const { pattern: _pattern, ...withoutPattern } = validIndicator as unknown as Record<string, unknown>;
    const result = validator.validate(withoutPattern);
    expect(result.valid).toBe(false);
    expect(result.errors).toContain("/: must have required property 'pattern'");
  });

  it('rejects malformed values: a bad timestamp, a bad id and an SCO value that is no address', () => {
    const badTimestamp = validator.validate({ ...validIndicator, created: '2024-05-01 12:00' });
    expect(badTimestamp.valid).toBe(false);
    expect(badTimestamp.errors.every((error) => error.startsWith('/created: must match pattern'))).toBe(true);
    expect(validator.validate({ ...validIndicator, id: 'indicator--not-a-uuid' }).valid).toBe(false);
    expect(validator.validate({ ...buildIpv4Address('198.51.100.7'), value: '198.51.100.777' }).valid).toBe(false);
    expect(validator.validate({ ...validIndicator, spec_version: '2.1', x_Bad: 1 }).valid).toBe(false);
  });

  it('rejects what has no type or no OASIS schema', () => {
    expect(validator.validate(null).errors).toEqual(['/: not an object with a string "type"']);
    expect(validator.validate({ type: 'x-vigia-thing' }).errors).toEqual([
      '/: no OASIS schema for type "x-vigia-thing"',
    ]);
  });

  it('names the failing object of a bundle, without the bundle schema’s oneOf noise', () => {
    const broken = {
      ...validIndicator,
      id: 'indicator--6b0c6d3e-8a1b-4c2d-9e3f-4a5b6c7d8e9f',
      valid_from: 'yesterday',
    };
    const result = validator.validateBundle({ ...buildBundle([validIndicator]), objects: [validIndicator, broken] });
    expect(result.valid).toBe(false);
    expect(result.errors).toEqual([expect.stringMatching(/^\/objects\/1\/valid_from: must match pattern/)]);
  });

  it('does not take a lone valid object for a valid bundle', () => {
    expect(validator.validateBundle(validIndicator).valid).toBe(false);
  });

  it('rejects a bundle whose envelope is wrong', () => {
    const result = validator.validateBundle({ type: 'bundle', id: 'bundle--1', objects: [validIndicator] });
    expect(result.valid).toBe(false);
    expect(result.errors.some((error) => error.startsWith('/id:'))).toBe(true);
    expect(validator.validateBundle({ ...buildBundle([validIndicator]), objects: [] }).errors).toEqual([
      '/objects: must be a non-empty array',
    ]);
  });

  it('agrees with the full OASIS bundle schema, which validate() applies to a bundle', () => {
    const bundle = buildBundle(buildIndicatorArtifacts(IndicatorType.Domain, 'example.com').objects);
    expect(validator.validate(bundle)).toEqual({ valid: true, errors: [] });
    expect(validator.validateBundle(bundle)).toEqual({ valid: true, errors: [] });
    const broken = { ...bundle, objects: [{ ...validIndicator, pattern_type: 42 }] };
    expect(validator.validate(broken).valid).toBe(false);
    expect(validator.validateBundle(broken).errors).toEqual(['/objects/0/pattern_type: must be string']);
  });

  it('answers at once for a hostile type name the schemas’ type pattern backtracks on exponentially', () => {
    // Unprotected, 25 characters take seconds and each one more doubles it; kept short so a regression fails, not hangs.
    const hostile = { type: `${'a'.repeat(25)}!`, id: 'x--1', spec_version: '2.1' };
    const started = Date.now();
    const result = validator.validate({
      type: 'bundle',
      id: 'bundle--6b0c6d3e-8a1b-4c2d-9e3f-4a5b6c7d8e9f',
      objects: [hostile],
    });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(result.valid).toBe(false);
  });
});

describeWithOasisSchemas('resolveStixSchemaDirectory', () => {
  const saved = process.env[STIX_SCHEMA_DIR_ENV];
  afterEach(() => {
    if (saved === undefined) delete process.env[STIX_SCHEMA_DIR_ENV];
    else process.env[STIX_SCHEMA_DIR_ENV] = saved;
  });

  it('finds shared/stix2-json-schemas/schemas above the library by default', () => {
    delete process.env[STIX_SCHEMA_DIR_ENV];
    expect(resolveStixSchemaDirectory()).toMatch(/[/\\]shared[/\\]stix2-json-schemas[/\\]schemas$/);
  });

  it('prefers an explicit directory, then $STIX_SCHEMA_DIR', () => {
    process.env[STIX_SCHEMA_DIR_ENV] = '/from/env';
    expect(resolveStixSchemaDirectory()).toBe('/from/env');
    expect(resolveStixSchemaDirectory('/explicit')).toBe('/explicit');
  });

  it('fails loudly when the directory holds no OASIS schemas', () => {
    const empty = mkdtempSync(join(tmpdir(), 'stix-schemas-'));
    try {
      expect(() => new OasisSchemaValidator(empty)).toThrow(/no common\/bundle\.json/);
    } finally {
      rmSync(empty, { recursive: true });
    }
  });
});
