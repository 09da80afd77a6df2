import { ErrorCode, findDuplicateKeys, findUnsafeInput, validationException, VigiaException } from '@vigia/common';
import type { SubmissionContent } from './report-intake.service';

/**
 * How deep a STIX or MISP document may nest: far more than either format needs (a MISP search result is about eight
 * levels deep), far less than would exhaust the stack of whatever walks it.
 */
export const MAX_DOCUMENT_DEPTH = 64;

/** 400 for JSON giving one property twice in an object: the stored payload and Vigia would read it differently. */
export function refuseDuplicateKeys(body: Buffer): void {
  const duplicates = findDuplicateKeys(body.toString('utf8'));
  if (duplicates.length > 0) throw validationException(duplicates);
}

/**
 * What the DTO pipe checks for bound bodies, for documents taken as they come (STIX, MISP, TAXII envelopes): NUL
 * characters, lone surrogates, depth, and duplicate keys in the text as sent.
 */
export function refuseUnsafeDocument(document: unknown, body: Buffer): void {
  const unsafe = findUnsafeInput(document, MAX_DOCUMENT_DEPTH);
  if (unsafe.length > 0) throw validationException(unsafe);
  refuseDuplicateKeys(body);
}

/** 413 for a report over `INGEST_MAX_INDICATORS`; a streamed one stops counting at the first indicator too many. */
export const tooManyIndicators = (max: number, count?: number): VigiaException =>
  new VigiaException(
    ErrorCode.PayloadTooLarge,
    `A report may carry at most ${max} indicators; this one has ${count ?? 'more'}. Split it into several reports.`,
  );

/** 413 for a document whose indicators are more than one report may carry. */
export function refuseTooManyIndicators(submission: { content: SubmissionContent }, max: number): void {
  const { content } = submission;
  if ('rows' in content && content.rows.length > max) throw tooManyIndicators(max, content.rows.length);
}
