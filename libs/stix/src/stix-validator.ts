import { domainToASCII } from 'node:url';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { IPv4, IPv6 } from 'ipaddr.js';
import {
  bundleEnvelopeSchema,
  customObjectSchemas,
  objectSchemas,
  sharedDefinitions,
  TYPE_NAME,
} from './validation/json-schemas';
import { OBJECT_DEFINITIONS, STIX_OBJECT_TYPES } from './validation/object-definitions';
import { stixPatternSyntaxError } from './validation/pattern-syntax';
import { customContentErrors } from './validation/strict-reader';
import { TLP_2_EXTENSION_DEFINITION_ID } from './tlp';

/**
 * Validates STIX 2.1 objects and bundles with rules written from the specification (libs/stix/src/validation),
 * shipped with Vigia: nothing is read from disk. Every object type STIX 2.1 defines is checked with its own
 * properties; objects of custom types with the common properties. Beyond what JSON schemas express it checks
 * STIX patterns' syntax, calendar dates, that `modified` is not before `created` and that time ranges are in
 * order. Hostile input is bounded: nesting depth, pattern length and nesting, and linear regular expressions only.
 * The OASIS JSON schemas are the test oracle (stix-conformance.spec.ts). Construct once and reuse.
 */

export interface StixValidationResult {
  valid: boolean;
  errors: string[];
  /** Objects left unchecked because `maxErrors` was reached (a hostile bundle must not cost a report per object). */
  unchecked?: number;
}

/** Deeper JSON than this is refused before any schema runs (no STIX object needs more than a dozen levels). */
export const MAX_STIX_NESTING = 64;

// RFC 1123 host name, the expression ajv-formats uses for `hostname`.
const ASCII_HOSTNAME =
  /^(?=.{1,253}\.?$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[-0-9a-z]{0,61}[0-9a-z])?)*\.?$/i;
const CIDR_SUFFIX = /^(.*)\/(0|[1-9]\d{0,2})$/;

/** Time pairs whose second member must not come before the first (§4.2, §4.7, §4.14, §5.1, §5.2). */
const ORDERED_TIMES: readonly (readonly [string, string, 'later' | 'not-earlier'])[] = [
  ['created', 'modified', 'not-earlier'],
  ['first_seen', 'last_seen', 'not-earlier'],
  ['first_observed', 'last_observed', 'not-earlier'],
  ['valid_from', 'valid_until', 'later'],
  ['start_time', 'stop_time', 'later'],
];

export class StixValidator {
  private readonly ajv: Ajv;
  private readonly schemas = objectSchemas();
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly custom: { core: ValidateFunction; sco: ValidateFunction };
  private readonly bundleEnvelope: ValidateFunction;

  constructor() {
    this.ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(this.ajv, ['uri', 'email']);
    this.ajv.addFormat('stix-timestamp', isCalendarTimestamp);
    // §6.4 domain-name: an internationalised name is valid when it converts to a valid ASCII host name.
    this.ajv.addFormat('stix-hostname', (value: string) => ASCII_HOSTNAME.test(domainToASCII(value)));
    this.ajv.addFormat('stix-ipv4', (value: string) =>
      isAddress(value, 32, (address) => IPv4.isValidFourPartDecimal(address)),
    );
    this.ajv.addFormat('stix-ipv6', (value: string) => isAddress(value, 128, (address) => IPv6.isValid(address)));
    this.ajv.addSchema(sharedDefinitions());
    const custom = customObjectSchemas();
    this.custom = { core: this.ajv.compile(custom.core), sco: this.ajv.compile(custom.sco) };
    this.bundleEnvelope = this.ajv.compile(bundleEnvelopeSchema());
  }

  /** Every object type STIX 2.1 defines, with `bundle`. */
  get objectTypes(): string[] {
    return [...STIX_OBJECT_TYPES, 'bundle'].sort();
  }

  /** Whether STIX 2.1 defines the type (otherwise it is a custom type, or not a type name at all). */
  isStandardType(type: string): boolean {
    return type === 'bundle' || Object.hasOwn(OBJECT_DEFINITIONS, type);
  }

  /** One object, of any type; a bundle is checked whole. */
  validate(object: unknown): StixValidationResult {
    const tooDeep = nestingError(object, '');
    if (tooDeep) return result([tooDeep]);
    if (isRecord(object) && object.type === 'bundle') return this.validateBundle(object);
    return result(this.errorsOfObject(object, ''));
  }

  /**
   * As a strict STIX 2.1 consumer reads an object: valid, and with no custom content (no custom type or property,
   * no custom hash algorithm, no extension but the SCO's predefined ones and the published extension definitions
   * given; by default the OASIS TLP 2.0 one).
   */
  validateStrict(
    object: unknown,
    publishedExtensions: ReadonlySet<string> = new Set([TLP_2_EXTENSION_DEFINITION_ID]),
  ): StixValidationResult {
    const checked = this.validate(object);
    if (!checked.valid) return checked;
    if (isRecord(object) && object.type === 'bundle') {
      const objects = Array.isArray(object.objects) ? (object.objects as Record<string, unknown>[]) : [];
      return result(
        objects.flatMap((member, index) =>
          customContentErrors(member, publishedExtensions).map(
            (error) => `/objects/${index}${error.replace(/^\/:/, ':')}`,
          ),
        ),
      );
    }
    return result(customContentErrors(object as Record<string, unknown>, publishedExtensions));
  }

  /**
   * A bundle (§8): its envelope, then each object against the rules of its own type. With `maxErrors`, checking stops
   * once that many errors are found, and `unchecked` says how many objects were not looked at.
   */
  validateBundle(bundle: unknown, maxErrors = Infinity): StixValidationResult {
    if (!isRecord(bundle)) return result(['/: not an object']);
    const tooDeep = nestingError(bundle, '');
    if (tooDeep) return result([tooDeep]);
    const errors = this.bundleEnvelope(bundle) ? [] : formatErrors(this.bundleEnvelope.errors, '');
    if (Array.isArray(bundle.objects)) {
      const objects = bundle.objects as unknown[];
      for (let index = 0; index < objects.length; index += 1) {
        if (errors.length >= maxErrors) return { ...result(errors), unchecked: objects.length - index };
        errors.push(...this.errorsOfObject(objects[index], `/objects/${index}`));
      }
    }
    return result(errors);
  }

  private errorsOfObject(object: unknown, path: string): string[] {
    if (!isRecord(object) || typeof object.type !== 'string') {
      return [`${path || '/'}: not an object with a string "type"`];
    }
    const type = object.type;
    if (type === 'bundle') return [`${path || '/'}: a bundle cannot hold a bundle`];
    const validateFunction = this.validatorFor(type, object);
    if (validateFunction === undefined) {
      return [`${path}/type: "${type.slice(0, 60)}" is not a valid STIX type name (§3.1)`];
    }
    const errors = validateFunction(object) ? [] : formatErrors(validateFunction.errors, path);
    if (errors.length > 0) return errors;
    return semanticErrors(object, path);
  }

  private validatorFor(type: string, object: Record<string, unknown>): ValidateFunction | undefined {
    const cached = this.compiled.get(type);
    if (cached !== undefined) return cached;
    const schema = this.schemas.get(type);
    if (schema !== undefined) {
      const compiled = this.ajv.compile(schema);
      this.compiled.set(type, compiled);
      return compiled;
    }
    if (type.length < 3 || type.length > 250 || !TYPE_NAME.test(type) || type === 'action') return undefined;
    return 'created' in object ? this.custom.core : this.custom.sco;
  }
}

/** Rules JSON schemas cannot express, run once the object's shape is right. */
function semanticErrors(object: Record<string, unknown>, path: string): string[] {
  const errors: string[] = [];
  const { type, id } = object as { type: string; id: string };
  // §2.9: an identifier starts with its object's type (standard types are held to it by their schemas).
  if (!id.startsWith(`${type}--`)) errors.push(`${path}/id: must start with "${type}--"`);
  for (const [first, second, order] of ORDERED_TIMES) {
    const from = object[first];
    const to = object[second];
    // Both are RFC 3339 UTC timestamps by now (the schema checked them).
    if (typeof from === 'string' && typeof to === 'string') {
      const delta = Date.parse(to) - Date.parse(from);
      if (delta < 0 || (order === 'later' && delta === 0)) {
        errors.push(`${path}/${second}: must be ${order === 'later' ? 'later than' : 'at or after'} ${first}`);
      }
    }
  }
  if (type === 'indicator' && object.pattern_type === 'stix') {
    const syntax = stixPatternSyntaxError(object.pattern as string);
    if (syntax !== undefined) errors.push(`${path}/pattern: not a valid STIX pattern: ${syntax}`);
  }
  return errors;
}

function isCalendarTimestamp(value: string): boolean {
  // The pattern reports other forms; this rejects days the month does not have (2023-02-29, 2024-04-31).
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value)) return true;
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  const date = new Date(Date.UTC(2000, month - 1, day));
  date.setUTCFullYear(year);
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** An address, or a CIDR block with a prefix length up to `maxPrefix` (§6.8, §6.9). */
function isAddress(value: string, maxPrefix: number, isValid: (address: string) => boolean): boolean {
  const cidr = CIDR_SUFFIX.exec(value);
  if (cidr) return Number(cidr[2]) <= maxPrefix && isValid(cidr[1] as string);
  return isValid(value);
}

/** Refuses JSON nested deeper than MAX_STIX_NESTING, iteratively, so no input can exhaust the stack. */
function nestingError(value: unknown, path: string): string | undefined {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= MAX_STIX_NESTING) return `${path || '/'}: nested deeper than ${MAX_STIX_NESTING} levels`;
    for (const child of Array.isArray(current) ? current : Object.values(current)) stack.push([child, depth + 1]);
  }
  return undefined;
}

function formatErrors(errors: ErrorObject[] | null | undefined, path: string): string[] {
  // Branch failures of if/then, anyOf and oneOf repeat what the failing member said; keep the member's message.
  // A bad property name is reported once, by name, rather than also by the pattern it failed.
  const relevant = (errors ?? []).filter(
    (error) => error.keyword !== 'if' && !error.schemaPath.includes('/propertyNames/'),
  );
  return [
    ...new Set(
      relevant.map((error) => {
        const where = `${path}${error.instancePath}` || '/';
        if (error.keyword === 'propertyNames') {
          return `${where}: invalid property name "${String(error.params.propertyName).slice(0, 60)}"`;
        }
        return `${where}: ${error.message ?? error.keyword}`;
      }),
    ),
  ];
}

const result = (errors: string[]): StixValidationResult => ({ valid: errors.length === 0, errors });

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
