import { printableText, truncateText, unsafeTextReason } from '@vigia/common';
import { SkippedItem } from '@vigia/database';
import { canonicaliseIndicator, INDICATOR_TYPES, IndicatorType } from '@vigia/indicators';
import { IndicatorRow } from './report-draft';

/** An indicator read from a document (CSV row, MISP attribute, STIX object) before canonicalisation. */
export interface IndicatorCandidate {
  path: string;
  type: string;
  value: string;
  firstSeen?: string;
  lastSeen?: string;
  confidence?: string | number;
  note?: string;
}

const MAX_NOTE = 2000;

// `2024-03-18 10:02:06`, as feeds write UTC times: without a zone, a time is read as UTC, never in the server's zone.
const ZONELESS_DATE_TIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/;

const parseDate = (text: string | undefined): Date | null | 'invalid' => {
  if (text === undefined || text === '') return null;
  const zoneless = ZONELESS_DATE_TIME.exec(text);
  const date = new Date(zoneless ? `${zoneless[1]}T${zoneless[2]}Z` : text);
  return Number.isNaN(date.getTime()) ? 'invalid' : date;
};

/**
 * Canonicalises one candidate for the bulk formats, where a bad line is skipped (and listed) rather than
 * refusing a whole feed: returns the row to store, or the reason it was skipped.
 */
export function canonicaliseCandidate(candidate: IndicatorCandidate): IndicatorRow | SkippedItem {
  // Skipped items are stored (jsonb) and shown: what they echo must be storable text.
  const skip = (reason: string): SkippedItem => ({
    path: candidate.path,
    value: printableText(truncateText(candidate.value, 200)),
    reason: printableText(reason),
  });
  const unsafe = unsafeFieldReason(candidate);
  if (unsafe) return skip(unsafe);
  const type = candidate.type.trim().toLowerCase();
  if (!INDICATOR_TYPES.includes(type as IndicatorType)) {
    return skip(`unknown indicator type "${candidate.type}"; expected one of: ${INDICATOR_TYPES.join(', ')}`);
  }
  const result = canonicaliseIndicator(type as IndicatorType, candidate.value);
  if (!result.ok) return skip(result.reason);
  const firstSeen = parseDate(candidate.firstSeen);
  const lastSeen = parseDate(candidate.lastSeen);
  if (firstSeen === 'invalid') return skip(`first_seen "${candidate.firstSeen}" is not a date`);
  if (lastSeen === 'invalid') return skip(`last_seen "${candidate.lastSeen}" is not a date`);
  let confidence: number | null = null;
  if (candidate.confidence !== undefined && candidate.confidence !== '') {
    confidence = Number(candidate.confidence);
    if (!Number.isInteger(confidence) || confidence < 0 || confidence > 100) {
      return skip(`confidence "${candidate.confidence}" must be a whole number from 0 to 100`);
    }
  }
  return {
    type,
    value: result.value,
    isCidr: result.isCidr,
    firstSeen,
    lastSeen,
    confidence,
    note: candidate.note ? truncateText(candidate.note, MAX_NOTE) : null,
  };
}

/** Why a field of the candidate cannot be stored (NUL, a lone surrogate), so the row is skipped, never the report. */
function unsafeFieldReason(candidate: IndicatorCandidate): string | undefined {
  const fields = {
    type: candidate.type,
    value: candidate.value,
    note: candidate.note,
    first_seen: candidate.firstSeen,
  };
  for (const [name, text] of Object.entries(fields)) {
    const reason = text === undefined ? undefined : unsafeTextReason(text);
    if (reason) return `${name} ${reason}`;
  }
  return undefined;
}

export const isSkipped = (outcome: IndicatorRow | SkippedItem): outcome is SkippedItem => 'reason' in outcome;

/**
 * Canonicalises a whole document's candidates: skipped ones are appended to `skipped`, and a value repeated in
 * the document (e.g. a STIX SCO and the indicator built on it) is kept once.
 */
export function canonicaliseCandidates(
  candidates: IndicatorCandidate[],
  skipped: SkippedItem[],
): { rows: IndicatorRow[]; skipped: SkippedItem[] } {
  const rows: IndicatorRow[] = [];
  const seen = new Set<string>();
  for (const candidate of candidates) {
    const outcome = canonicaliseCandidate(candidate);
    if (isSkipped(outcome)) {
      skipped.push(outcome);
      continue;
    }
    const key = `${outcome.type}\u0000${outcome.value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push(outcome);
  }
  return { rows, skipped };
}
