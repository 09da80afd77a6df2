import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { domainToASCII } from 'node:url';
import { dirname, join, relative, resolve, sep } from 'node:path';
import Ajv2020, {
  type AnySchemaObject,
  type CodeOptions,
  type ErrorObject,
  type ValidateFunction,
} from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/**
 * TEST ORACLE, never used at run time: validates STIX objects against the OASIS STIX 2.1 JSON schemas
 * (cti-stix2-json-schemas, draft 2020-12) found beside the checkout, to check Vigia's own StixValidator and what
 * Vigia emits against them. The schemas catch structural errors only; the OASIS README lists spec rules they
 * cannot express. Construct once and reuse: schemas are loaded in the constructor and each compiled on first use.
 */

export interface StixValidationResult {
  valid: boolean;
  errors: string[];
}

export const STIX_SCHEMA_DIR_ENV = 'STIX_SCHEMA_DIR';

// Where the schemas sit relative to some ancestor of this file (the repository's sibling `shared/`).
const SCHEMA_DIR_BELOW_ANCESTOR = join('shared', 'stix2-json-schemas', 'schemas');

/**
 * The schema directory: the explicit one, else $STIX_SCHEMA_DIR, else the first `shared/stix2-json-schemas/schemas`
 * found walking up from this file, which works from the sources (libs/stix/src) and from a build (dist/…) alike.
 */
export function resolveStixSchemaDirectory(explicitDirectory?: string): string {
  const configured = explicitDirectory ?? process.env[STIX_SCHEMA_DIR_ENV];
  if (configured !== undefined && configured !== '') {
    return resolve(configured);
  }
  for (let directory = __dirname; ; directory = dirname(directory)) {
    const candidate = join(directory, SCHEMA_DIR_BELOW_ANCESTOR);
    if (isDirectory(candidate)) {
      return candidate;
    }
    if (dirname(directory) === directory) {
      throw new Error(
        `STIX JSON schemas not found above ${__dirname}; set ${STIX_SCHEMA_DIR_ENV} or pass the directory to OasisSchemaValidator`,
      );
    }
  }
}

// Object types whose schema lives in common/ rather than in sdos/, sros/ or observables/.
const COMMON_OBJECT_TYPES = new Set(['bundle', 'marking-definition', 'language-content', 'extension-definition']);
const OBJECT_SCHEMA_FOLDERS = new Set(['sdos', 'sros', 'observables']);

/**
 * The schemas' type-name pattern `^([a-z][a-z0-9]*)+(-[a-z0-9]+)*\-?$` backtracks exponentially on a long
 * non-matching string (30 characters take seconds), and bundles from partners are untrusted. This engine swaps
 * it for the equivalent linear pattern; the original is also invalid with the `u` flag, hence unicodeRegExp off.
 */
const LINEAR_EQUIVALENT_PATTERNS: ReadonlyMap<string, string> = new Map([
  ['^([a-z][a-z0-9]*)+(-[a-z0-9]+)*\\-?$', '^[a-z][a-z0-9]*(-[a-z0-9]+)*-?$'],
]);
const linearRegExpEngine: NonNullable<CodeOptions['regExp']> = Object.assign(
  (pattern: string, flags: string) => new RegExp(LINEAR_EQUIVALENT_PATTERNS.get(pattern) ?? pattern, flags),
  { code: 'linearRegExpEngine' },
);

// RFC 1123 host name, the same expression ajv-formats uses for `hostname`.
const ASCII_HOSTNAME =
  /^(?=.{1,253}\.?$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[-0-9a-z]{0,61}[0-9a-z])?)*\.?$/i;

export class OasisSchemaValidator {
  readonly schemaDirectory: string;
  private readonly ajv: Ajv2020;
  private readonly schemaIdByObjectType = new Map<string, string>();
  private readonly validatorByObjectType = new Map<string, ValidateFunction>();

  constructor(schemaDirectory?: string) {
    this.schemaDirectory = resolveStixSchemaDirectory(schemaDirectory);
    // strict off: the schemas use `definitions` and other keywords draft 2020-12 does not know.
    this.ajv = new Ajv2020({
      strict: false,
      allErrors: true,
      unicodeRegExp: false,
      code: { regExp: linearRegExpEngine },
    });
    addFormats(this.ajv);
    // ajv-formats has no idn-hostname (domain-name:value): accept what converts to a valid ASCII host name.
    this.ajv.addFormat('idn-hostname', (value: string) => ASCII_HOSTNAME.test(domainToASCII(value)));
    this.loadSchemas();
  }

  /** Validates one STIX object against the schema of its `type`. */
  validate(object: unknown): StixValidationResult {
    const errors = this.errorsOfObject(object, '');
    return { valid: errors.length === 0, errors };
  }

  /**
   * Validates a bundle: its envelope (type, id) against the OASIS bundle schema, and each object against the schema
   * of its own type. This is what the bundle schema checks, minus its 35-way oneOf per object, which is some 40
   * times slower and reports every branch that failed instead of the one that matters. Unlike the bundle schema
   * it rejects custom object types, which Vigia does not produce. `validate(bundle)` runs the full schema.
   */
  validateBundle(bundle: unknown): StixValidationResult {
    if (!isRecord(bundle)) {
      return { valid: false, errors: ['/: not an object'] };
    }
    const { objects, ...envelope } = bundle;
    const errors = this.errorsAgainst('bundle', envelope, '');
    if (objects !== undefined) {
      if (!Array.isArray(objects) || objects.length === 0) {
        errors.push('/objects: must be a non-empty array');
      } else {
        objects.forEach((object: unknown, index: number) =>
          errors.push(...this.errorsOfObject(object, `/objects/${index}`)),
        );
      }
    }
    return { valid: errors.length === 0, errors };
  }

  /** The STIX object types this validator has a schema for. */
  get objectTypes(): string[] {
    return [...this.schemaIdByObjectType.keys()].sort();
  }

  // Against the schema of the object's own `type`.
  private errorsOfObject(object: unknown, path: string): string[] {
    if (!isRecord(object) || typeof object.type !== 'string') {
      return [`${path || '/'}: not an object with a string "type"`];
    }
    return this.errorsAgainst(object.type, object, path);
  }

  private errorsAgainst(objectType: string, object: unknown, path: string): string[] {
    const validateFunction = this.validatorFor(objectType);
    if (validateFunction === undefined) {
      return [`${path || '/'}: no OASIS schema for type "${objectType}"`];
    }
    return validateFunction(object) ? [] : formatErrors(validateFunction.errors, path);
  }

  private validatorFor(objectType: string): ValidateFunction | undefined {
    const cached = this.validatorByObjectType.get(objectType);
    if (cached !== undefined) {
      return cached;
    }
    const schemaId = this.schemaIdByObjectType.get(objectType);
    const compiled = schemaId === undefined ? undefined : this.ajv.getSchema(schemaId);
    if (compiled !== undefined) {
      this.validatorByObjectType.set(objectType, compiled);
    }
    return compiled;
  }

  // Every schema is added (compiled lazily) so cross-file $refs resolve by $id, offline.
  private loadSchemas(): void {
    for (const file of listJsonFiles(this.schemaDirectory)) {
      const schema = JSON.parse(readFileSync(file, 'utf8')) as AnySchemaObject;
      if (typeof schema.$id !== 'string') {
        throw new Error(`STIX schema ${file} has no $id`);
      }
      this.ajv.addSchema(schema);
      const objectType = objectTypeOfSchemaFile(relative(this.schemaDirectory, file));
      if (objectType !== undefined) {
        this.schemaIdByObjectType.set(objectType, schema.$id);
      }
    }
    if (!this.schemaIdByObjectType.has('bundle')) {
      throw new Error(`${this.schemaDirectory} does not hold the OASIS STIX schemas (no common/bundle.json)`);
    }
  }
}

// sdos/indicator.json → indicator; common/bundle.json → bundle; common/core.json → none (not an object type).
function objectTypeOfSchemaFile(relativePath: string): string | undefined {
  const [folder, fileName, ...rest] = relativePath.split(sep);
  if (fileName === undefined || rest.length > 0 || !fileName.endsWith('.json')) {
    return undefined;
  }
  const name = fileName.slice(0, -'.json'.length);
  return OBJECT_SCHEMA_FOLDERS.has(folder) || (folder === 'common' && COMMON_OBJECT_TYPES.has(name)) ? name : undefined;
}

function listJsonFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return listJsonFiles(path);
    return entry.isFile() && entry.name.endsWith('.json') ? [path] : [];
  });
}

function formatErrors(errors: ErrorObject[] | null | undefined, path: string): string[] {
  return (errors ?? []).map((error) => {
    const where = `${path}${error.instancePath}` || '/';
    const extra = error.keyword === 'additionalProperties' ? ` "${String(error.params.additionalProperty)}"` : '';
    return `${where}: ${error.message ?? error.keyword}${extra}`;
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

/** The OASIS schema directory, or undefined when there is none to find (the conformance test then says so loudly). */
export function findStixSchemaDirectory(): string | undefined {
  try {
    const directory = resolveStixSchemaDirectory();
    return isDirectory(directory) ? directory : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A describe block that needs the OASIS schemas. Where they cannot be found it is skipped with a loud warning,
 * unless CI is set: CI has them beside the checkout, so their absence there is a failure.
 */
export function describeWithOasisSchemas(name: string, body: (schemaDirectory: string) => void): void {
  const directory = findStixSchemaDirectory();
  if (directory !== undefined) {
    describe(name, () => body(directory));
    return;
  }
  const message =
    `OASIS STIX schemas NOT FOUND (no shared/stix2-json-schemas/schemas above ${__dirname}, ` +
    `${STIX_SCHEMA_DIR_ENV}=${process.env[STIX_SCHEMA_DIR_ENV] || '(unset)'}): "${name}" is SKIPPED`;
  if (process.env.CI) {
    describe(name, () => it('needs the OASIS STIX schemas', () => expect(message).toBe('')));
    return;
  }
  process.stderr.write(`\n${'!'.repeat(100)}\n${message}\n${'!'.repeat(100)}\n\n`);
  describe.skip(name, () => it('needs the OASIS STIX schemas', () => undefined));
}
