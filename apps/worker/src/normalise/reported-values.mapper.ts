import { ErrorCode, VigiaException } from '@vigia/common';
import { BatchedIndicator } from '@vigia/database';
import { INDICATOR_TYPES, IndicatorType } from '@vigia/indicators';
import {
  StixId,
  StixInputError,
  StixTimestamp,
  indicatorIdForPattern,
  stixPatternFor,
  vulnerabilityIdForCve,
} from '@vigia/stix';

/** A received indicator as the worker reads it. */
export interface ReportIndicatorRow {
  type: string;
  value: string;
  is_cidr: boolean;
  first_seen: Date | null;
  last_seen: Date | null;
  confidence: number | null;
  note: string | null;
}

/** One indicator of a `report_indicator_batches` row. */
export const reportIndicatorRow = (stored: BatchedIndicator): ReportIndicatorRow => ({
  type: stored.type,
  value: stored.value,
  is_cidr: stored.is_cidr === true,
  first_seen: stored.first_seen ? new Date(stored.first_seen) : null,
  last_seen: stored.last_seen ? new Date(stored.last_seen) : null,
  confidence: stored.confidence ?? null,
  note: stored.note ?? null,
});

/** The report-level times a value falls back on when its own row has none. */
export interface ReportTimes {
  firstSeen: Date | null;
  lastSeen: Date | null;
  receivedAt: Date;
}

// The report's fallbacks, formatted once for all its rows.
interface Fallbacks {
  firstSeen: StixTimestamp | null;
  lastSeen: StixTimestamp;
}

/** One distinct indicator of a report: its rows with the same STIX id merged into one time window. */
export interface ReportedValue {
  stixId: StixId<'indicator' | 'vulnerability'>;
  type: IndicatorType;
  value: string;
  isCidr: boolean;
  firstSeen: StixTimestamp;
  lastSeen: StixTimestamp;
  confidence?: number;
  note?: string;
}

const KNOWN_TYPES = new Set<string>(INDICATOR_TYPES);

/**
 * The deterministic STIX id a value becomes in an audience (libs/sharing `audienceKeyOf`): the indicator of its
 * pattern, or the vulnerability of a CVE.
 */
export function stixIdForValue(
  type: IndicatorType,
  value: string,
  audience: string,
): StixId<'indicator' | 'vulnerability'> {
  return type === IndicatorType.Cve
    ? vulnerabilityIdForCve(value, audience)
    : indicatorIdForPattern(stixPatternFor(type, value), audience);
}

/**
 * A report's distinct values, sorted by STIX id (the order every worker locks them in). Rows that give the same id
 * merge: the widest time window, the highest confidence, the first note. A value that cannot become STIX is a
 * problem of the report's data, so it fails the report rather than being retried.
 */
export function reportedValues(
  rows: readonly ReportIndicatorRow[],
  report: ReportTimes,
  audience: string,
): ReportedValue[] {
  const byId = new Map<string, ReportedValue>();
  const lastSeen = (report.lastSeen ?? report.receivedAt).toISOString();
  const fallbacks: Fallbacks = { firstSeen: report.firstSeen?.toISOString() ?? null, lastSeen };
  for (const row of rows) {
    const reported = toReportedValue(row, fallbacks, audience);
    const earlier = byId.get(reported.stixId);
    byId.set(reported.stixId, earlier ? mergeValues(earlier, reported) : reported);
  }
  return [...byId.values()].sort((a, b) => (a.stixId < b.stixId ? -1 : a.stixId > b.stixId ? 1 : 0));
}

function toReportedValue(row: ReportIndicatorRow, fallbacks: Fallbacks, audience: string): ReportedValue {
  if (!KNOWN_TYPES.has(row.type)) {
    throw new VigiaException(ErrorCode.ValidationFailed, `Unknown indicator type "${row.type}" (value ${row.value})`);
  }
  const type = row.type as IndicatorType;
  let stixId: ReportedValue['stixId'];
  try {
    stixId = stixIdForValue(type, row.value, audience);
  } catch (error) {
    if (error instanceof StixInputError) {
      throw new VigiaException(ErrorCode.ValidationFailed, `${type} ${row.value} cannot become STIX: ${error.message}`);
    }
    throw error;
  }
  const window = seenWindow(row, fallbacks);
  const value: ReportedValue = { stixId, type, value: row.value, isCidr: row.is_cidr, ...window };
  if (row.confidence !== null) value.confidence = row.confidence;
  if (row.note !== null && row.note !== '') value.note = row.note;
  return value;
}

/**
 * When the reporter saw the value: its own times, else the report's, else the time the report arrived. A window
 * given backwards (first after last) is read as the single instant it starts at.
 */
function seenWindow(
  row: Pick<ReportIndicatorRow, 'first_seen' | 'last_seen'>,
  fallbacks: Fallbacks,
): { firstSeen: StixTimestamp; lastSeen: StixTimestamp } {
  const lastSeen = row.last_seen?.toISOString() ?? fallbacks.lastSeen;
  const firstSeen = row.first_seen?.toISOString() ?? fallbacks.firstSeen ?? lastSeen;
  return { firstSeen, lastSeen: lastSeen < firstSeen ? firstSeen : lastSeen };
}

function mergeValues(a: ReportedValue, b: ReportedValue): ReportedValue {
  const merged: ReportedValue = {
    ...a,
    firstSeen: a.firstSeen < b.firstSeen ? a.firstSeen : b.firstSeen,
    lastSeen: a.lastSeen > b.lastSeen ? a.lastSeen : b.lastSeen,
  };
  const confidence = Math.max(a.confidence ?? -1, b.confidence ?? -1);
  if (confidence >= 0) merged.confidence = confidence;
  if (merged.note === undefined && b.note !== undefined) merged.note = b.note;
  return merged;
}
