import { Injectable } from '@nestjs/common';
import { ErrorCode, ProblemDetail, VigiaException, validationException } from '@vigia/common';
import { ReportSourceFormat, SkippedItem } from '@vigia/database';
import {
  IndicatorType,
  MispDocumentForm,
  MispIndicatorInput,
  mapMispEvent,
  splitMispDocument,
  stixTypeOfGalaxy,
} from '@vigia/indicators';
import {
  ReportOverridesDto,
  Submission,
  canonicaliseCandidate,
  canonicaliseCandidates,
  defaultType,
  headerFromFields,
  isSkipped,
  validateReportFields,
} from '@vigia/report-intake';

type DocumentSubmission = Omit<Submission, 'idempotencyKey'>;

/** The events of one MISP document, each a submission; `several` when the document's form holds a list. */
export interface MispSubmissions {
  form: MispDocumentForm;
  several: boolean;
  submissions: DocumentSubmission[];
}

/**
 * MISP JSON → one submission per event: a wrapped event, a bare event, search results `{"response": [...]}` or an
 * array of events. Unsupported or malformed attributes are skipped; a malformed event refuses the whole document
 * (400 naming it), so either every event becomes a report or none does.
 */
@Injectable()
export class MispEventFormat {
  async toSubmissions(
    body: unknown,
    overrides: ReportOverridesDto,
    raw: { body: Buffer; contentType: string },
  ): Promise<MispSubmissions> {
    const split = splitMispDocument(body);
    if ('errors' in split) throw validationException(split.errors);
    const several = split.form === 'search-response' || split.form === 'event-list';
    const problems: ProblemDetail[] = [];
    const submissions: DocumentSubmission[] = [];
    for (const { path, wrapped } of split.events) {
      // A single event keeps the bytes as sent; each of several is stored as its own event.
      const payload = several ? Buffer.from(JSON.stringify(wrapped)) : raw.body;
      const submission = await this.eventSubmission(wrapped, overrides, payload, raw.contentType).catch(
        (error: unknown) => {
          problems.push(...problemsOf(error, path));
          return undefined;
        },
      );
      if (submission) submissions.push(submission);
    }
    if (problems.length > 0) throw validationException(problems);
    return { form: split.form, several, submissions };
  }

  private async eventSubmission(
    wrapped: unknown,
    overrides: ReportOverridesDto,
    payload: Buffer,
    contentType: string,
  ): Promise<DocumentSubmission> {
    const mapped = mapMispEvent(wrapped);
    if ('errors' in mapped) {
      throw validationException(mapped.errors.map((error) => ({ path: error.path, reason: error.reason })));
    }
    const { report } = mapped;
    const skipped: SkippedItem[] = mapped.skipped.map((item) => ({
      path: item.path,
      value: item.value,
      reason: item.reason,
    }));
    // `to_ids: false`: observables (the worker stores them as STIX observables), never indicators; a value that
    // cannot be one is listed like any other.
    for (const cluster of mapped.galaxies.filter((galaxy) => stixTypeOfGalaxy(galaxy.galaxyType) === undefined)) {
      skipped.push({
        path: 'Event.Galaxy',
        value: `${cluster.galaxyType}=${cluster.name}`.slice(0, 200),
        reason: `galaxy ${cluster.galaxyType} has no STIX counterpart`,
      });
    }
    for (const observable of mapped.indicators.filter(isObservable)) {
      const outcome = canonicaliseCandidate({ ...observable, note: observable.comment });
      if (isSkipped(outcome)) skipped.push(outcome);
    }
    const classification = overrides.classification ?? report.rsit?.classification ?? 'other';
    const fields = await validateReportFields({
      title: report.title,
      description: report.description,
      classification,
      type: overrides.type ?? (overrides.classification ? undefined : report.rsit?.type) ?? defaultType(classification),
      severity: report.severity ?? 'medium',
      tlp: report.tlp,
      first_seen: report.firstSeen,
      last_seen: report.lastSeen,
      ...overrides,
    });
    return {
      header: headerFromFields(ReportSourceFormat.Misp, fields),
      contentType,
      content: {
        payload,
        ...canonicaliseCandidates(
          mapped.indicators
            .filter((indicator) => !isObservable(indicator))
            .map((indicator) => ({ ...indicator, note: indicator.comment })),
          skipped,
        ),
      },
    };
  }
}

/** A validation failure of one event, its paths prefixed with where the event sits (`response[2].Event.info`). */
function problemsOf(error: unknown, eventPath: string): ProblemDetail[] {
  if (!(error instanceof VigiaException) || error.code !== ErrorCode.ValidationFailed) throw error;
  return (error.details ?? []).map((detail) => ({
    ...detail,
    path: [eventPath, detail.path].filter(Boolean).join('.'),
  }));
}

/** `to_ids: false` values Vigia has a STIX observable for (a CVE has none: it stays a vulnerability). */
const isObservable = (indicator: MispIndicatorInput): boolean =>
  indicator.observable && indicator.type !== IndicatorType.Cve;
