import { Injectable } from '@nestjs/common';
import { MAX_LISTED_PROBLEMS, ProblemDetail, validationException } from '@vigia/common';
import { ReportSourceFormat, SkippedItem } from '@vigia/database';
import { IndicatorType, TlpLevel } from '@vigia/indicators';
import { StixValidationResult, StixValidator, readStixPattern, strictestTlpOfMarkings } from '@vigia/stix';
import { ReportOverridesDto } from './report-fields.dto';
import { Submission } from './report-intake.service';
import { defaultType, headerFromFields } from './report-header.mapper';
import { canonicaliseCandidates, IndicatorCandidate } from './indicator-candidate';
import { validateReportFields } from './report-fields.validation';

type StixObject = Record<string, unknown> & { type: string; id?: string };

/** An unmarked bundle is treated as TLP:AMBER: over-sharing is the costlier mistake. */
const DEFAULT_TLP = TlpLevel.Amber;

const SCO_VALUE_TYPES: Record<string, IndicatorType> = {
  'ipv4-addr': IndicatorType.Ipv4,
  'ipv6-addr': IndicatorType.Ipv6,
  'domain-name': IndicatorType.Domain,
  url: IndicatorType.Url,
  'email-addr': IndicatorType.Email,
};

const FILE_HASHES: Record<string, IndicatorType> = {
  MD5: IndicatorType.Md5,
  'SHA-1': IndicatorType.Sha1,
  'SHA-256': IndicatorType.Sha256,
  'SHA-512': IndicatorType.Sha512,
};

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** What was posted: a bundle, a TAXII 2.1 envelope, or one object; read alike as a list of objects. */
interface StixDocument {
  objects: StixObject[];
  /** For the default title: `STIX bundle bundle--…`, `TAXII envelope`, `STIX indicator indicator--…`. */
  label: string;
}

/**
 * A STIX 2.1 document → a submission. A bundle, a TAXII 2.1 envelope (`{"objects": [...]}`, as a TAXII client
 * posts it) or a single STIX object are read alike; every object is checked by libs/stix's STIX 2.1 validator (400
 * listing every problem); indicator values come from simple patterns, standalone SCOs and CVE vulnerabilities; the
 * worker keeps every standard object as sent; objects of custom types are skipped and listed (the raw payload keeps
 * them).
 */
@Injectable()
export class StixBundleFormat {
  private readonly validator = new StixValidator();

  async toSubmission(
    bundle: unknown,
    overrides: ReportOverridesDto,
    raw: { body: Buffer; contentType: string },
  ): Promise<Omit<Submission, 'idempotencyKey'>> {
    const { objects, label } = this.checkDocument(bundle);
    const skipped: SkippedItem[] = [];
    const candidates = objects.flatMap((object, index) => this.candidatesOf(object, `objects[${index}]`, skipped));
    const report = objects.find((object) => object.type === 'report');
    const classification = overrides.classification ?? 'other';
    const fields = await validateReportFields({
      title: text(report?.name) ?? label,
      description: text(report?.description),
      classification,
      type: overrides.classification ? undefined : defaultType(classification),
      severity: 'medium',
      tlp: this.tlpOf(objects),
      first_seen: text(report?.published),
      ...overrides,
    });
    return {
      header: headerFromFields(ReportSourceFormat.Stix, fields),
      contentType: raw.contentType,
      content: { payload: raw.body, ...canonicaliseCandidates(candidates, skipped) },
    };
  }

  /** Checks the document and every object in it, custom types included (with the common properties). */
  private checkDocument(document: unknown): StixDocument {
    if (typeof document !== 'object' || document === null || Array.isArray(document)) {
      throw validationException([{ path: 'body', reason: NOT_A_STIX_DOCUMENT }]);
    }
    const { type, id, objects } = document as Record<string, unknown>;
    if (type === undefined) {
      // A TAXII 2.1 envelope: `objects`, maybe `more` and `next`, and no type.
      if (!Array.isArray(objects)) throw validationException([{ path: 'body', reason: NOT_A_STIX_DOCUMENT }]);
      return { objects: this.checkedObjects(objects), label: 'TAXII envelope' };
    }
    if (type === 'bundle') {
      if (!Array.isArray(objects) || objects.length === 0) {
        throw validationException([{ path: 'objects', reason: 'must be a non-empty array of STIX objects' }]);
      }
      const problems = problemsOf(this.validator.validateBundle(document, MAX_CHECKED_ERRORS));
      if (problems.length > 0) throw validationException(problems);
      return { objects: objects as StixObject[], label: `STIX bundle ${String(id ?? '')}`.trim() };
    }
    const problems = this.validator.validate(document).errors.map(toProblem);
    if (problems.length > 0) throw validationException(problems);
    return { objects: [document as StixObject], label: `STIX ${String(type)} ${String(id)}` };
  }

  /** The objects of an envelope, each checked as a bundle's would be (paths name them `objects[i]`). */
  private checkedObjects(objects: unknown[]): StixObject[] {
    if (objects.length === 0) {
      throw validationException([{ path: 'objects', reason: 'must be a non-empty array of STIX objects' }]);
    }
    const asBundle = { type: 'bundle', id: ENVELOPE_AS_BUNDLE_ID, objects };
    const problems = problemsOf(this.validator.validateBundle(asBundle, MAX_CHECKED_ERRORS));
    if (problems.length > 0) throw validationException(problems);
    return objects as StixObject[];
  }

  private candidatesOf(object: StixObject, path: string, skipped: SkippedItem[]): IndicatorCandidate[] {
    const note = text(object.name) ?? text(object.description);
    const confidence = typeof object.confidence === 'number' ? object.confidence : undefined;
    if (object.type === 'indicator') {
      // A pattern that cannot be reduced to values (another pattern language, AND, MATCHES, qualifiers) is no
      // indicator value here: the worker keeps the producer's indicator as sent, marked not value-matchable.
      const read = object.pattern_type === 'stix' ? readStixPattern(String(object.pattern)) : undefined;
      if (!read || 'reason' in read) return [];
      return read.indicators.map(({ type, value }) => ({
        path,
        type,
        value,
        firstSeen: text(object.valid_from),
        confidence,
        note,
      }));
    }
    const valueType = SCO_VALUE_TYPES[object.type];
    if (valueType && typeof object.value === 'string') return [{ path, type: valueType, value: object.value }];
    if (object.type === 'autonomous-system' && typeof object.number === 'number') {
      return [{ path, type: IndicatorType.Asn, value: String(object.number) }];
    }
    if (object.type === 'file' && typeof object.hashes === 'object' && object.hashes !== null) {
      return Object.entries(object.hashes as Record<string, unknown>)
        .filter(([algorithm, hash]) => FILE_HASHES[algorithm] && typeof hash === 'string')
        .map(([algorithm, hash]) => ({ path, type: FILE_HASHES[algorithm] as string, value: hash as string }));
    }
    if (object.type === 'vulnerability') {
      const cve = (object.external_references as { source_name?: string; external_id?: string }[] | undefined)?.find(
        (reference) => reference.source_name === 'cve',
      )?.external_id;
      return cve ? [{ path, type: IndicatorType.Cve, value: cve, note }] : [];
    }
    if (!this.validator.isStandardType(object.type)) {
      skipped.push({ path, reason: `custom object type "${object.type}" is not imported` });
    }
    return [];
  }

  /** The most restrictive TLP marking found on the bundle's objects (TLP 2.0 or 1.0 ids). */
  private tlpOf(objects: StixObject[]): TlpLevel {
    return (
      strictestTlpOfMarkings(objects.flatMap((object) => (object.object_marking_refs as unknown[]) ?? [])) ??
      DEFAULT_TLP
    );
  }
}

/** Only to check an envelope's objects with the bundle rules; never stored or shown. */
const ENVELOPE_AS_BUNDLE_ID = 'bundle--00000000-0000-4000-8000-000000000000';

const NOT_A_STIX_DOCUMENT =
  'expected a STIX 2.1 bundle, a TAXII 2.1 envelope {"objects": [...]} or a single STIX object';

/** The validator's "/objects/3/pattern: must be string" as a problem with a field path, `objects[3].pattern`. */
/** Errors after which a bundle's objects are no longer checked: one answer lists no more (the last says so). */
const MAX_CHECKED_ERRORS = MAX_LISTED_PROBLEMS - 1;

/** The validator's errors as problems; when it stopped early, a last one says how many objects were not checked. */
function problemsOf({ errors, unchecked }: StixValidationResult): ProblemDetail[] {
  const problems = errors.map(toProblem);
  if (unchecked) {
    problems.push({ path: 'objects', reason: `${unchecked} more objects not checked after the first problems` });
  }
  return problems;
}

function toProblem(error: string): ProblemDetail {
  const separator = error.indexOf(': ');
  const pointer = separator >= 0 ? error.slice(0, separator) : '';
  const reason = separator >= 0 ? error.slice(separator + 2) : error;
  const inner = pointer
    .split('/')
    .filter(Boolean)
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`))
    .join('')
    .replace(/^\./, '');
  return { path: inner || 'object', reason };
}
