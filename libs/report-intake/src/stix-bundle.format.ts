import { Injectable } from '@nestjs/common';
import { ProblemDetail, validationException } from '@vigia/common';
import { ReportSourceFormat, SkippedItem } from '@vigia/database';
import { IndicatorType, TlpLevel, tlpRank } from '@vigia/indicators';
import { StixValidator, tlpLevelForMarkingId } from '@vigia/stix';
import { ReportOverridesDto } from './report-fields.dto';
import { Submission } from './report-intake.service';
import { headerFromFields } from './report-header.mapper';
import { canonicaliseCandidates, IndicatorCandidate } from './indicator-candidate';
import { defaultType } from './report-header.mapper';
import { readStixPattern } from './stix-pattern.reader';
import { validateReportFields } from './report-fields.validation';

type StixObject = Record<string, unknown> & { type: string; id?: string };

/** TLP 1.0 marking definitions predefined by STIX 2.1 §7.2.1.4, still what many producers emit. */
const TLP_1_MARKINGS: Record<string, TlpLevel> = {
  'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9': TlpLevel.Clear,
  'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da': TlpLevel.Green,
  'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82': TlpLevel.Amber,
  'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed': TlpLevel.Red,
};

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
 * listing every problem); indicators come from simple patterns, standalone SCOs and CVE vulnerabilities; objects of
 * custom types and patterns Vigia cannot flatten are skipped and listed.
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
      const problems: ProblemDetail[] = this.validator.validateBundle(document).errors.map(toProblem);
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
    const problems = this.validator.validateBundle(asBundle).errors.map(toProblem);
    if (problems.length > 0) throw validationException(problems);
    return objects as StixObject[];
  }

  private candidatesOf(object: StixObject, path: string, skipped: SkippedItem[]): IndicatorCandidate[] {
    const note = text(object.name) ?? text(object.description);
    const confidence = typeof object.confidence === 'number' ? object.confidence : undefined;
    if (object.type === 'indicator') {
      if (object.pattern_type !== 'stix') {
        skipped.push({
          path,
          value: text(object.pattern),
          reason: `pattern_type "${String(object.pattern_type)}" is not stix`,
        });
        return [];
      }
      const read = readStixPattern(String(object.pattern));
      if ('reason' in read) {
        skipped.push({ path, value: String(object.pattern).slice(0, 200), reason: read.reason });
        return [];
      }
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
    let strictest: TlpLevel | undefined;
    for (const object of objects) {
      for (const ref of (object.object_marking_refs as string[] | undefined) ?? []) {
        const level = tlpLevelForMarkingId(ref) ?? TLP_1_MARKINGS[ref];
        if (level && (strictest === undefined || tlpRank(level) > tlpRank(strictest))) strictest = level;
      }
    }
    return strictest ?? DEFAULT_TLP;
  }
}

/** Only to check an envelope's objects with the bundle rules; never stored or shown. */
const ENVELOPE_AS_BUNDLE_ID = 'bundle--00000000-0000-4000-8000-000000000000';

const NOT_A_STIX_DOCUMENT =
  'expected a STIX 2.1 bundle, a TAXII 2.1 envelope {"objects": [...]} or a single STIX object';

/** The validator's "/objects/3/pattern: must be string" as a problem with a field path, `objects[3].pattern`. */
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
