import { RejectedItem, RejectedValue } from '@vigia/common';
import { canonicaliseIndicator, INDICATOR_TYPES, IndicatorType } from '@vigia/indicators';
import { isInt, isISO8601 } from 'class-validator';
import { IndicatorRow } from '@vigia/report-intake';

export const MAX_INDICATOR_NOTE_LENGTH = 2000;

const TYPE_REASON = `type must be one of: ${INDICATOR_TYPES.join(', ')}`;

type Fields = Record<string, unknown>;

/**
 * Reads one item of a JSON report's `indicators` into the row to store (value canonicalised: refanged, IDN to
 * punycode, canonical IPv6...), or every problem it has, per field. These are the rules `IndicatorDto` documents,
 * checked with class-validator's own functions; a class instance validated per item cost about 2 ms per 100
 * indicators, a fifth of a submission's CPU, which the ingest latency target cannot spare.
 */
export function readIndicatorInput(item: unknown): IndicatorRow | RejectedItem | RejectedValue {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    return new RejectedValue(item, 'each indicator must be an object with a type and a value');
  }
  const fields = item as Fields;
  const problems: Record<string, RejectedValue> = {};
  const reject = (field: string, reason: string): null => {
    problems[field] = new RejectedValue(fields[field], reason);
    return null;
  };

  const type = INDICATOR_TYPES.includes(fields.type as IndicatorType) ? (fields.type as IndicatorType) : null;
  if (type === null) reject('type', TYPE_REASON);
  const value = readValue(type, fields.value, reject);
  const firstSeen = readTime(fields, 'first_seen', reject);
  const lastSeen = readTime(fields, 'last_seen', reject);
  if (firstSeen && lastSeen && firstSeen > lastSeen) reject('last_seen', 'last_seen is before first_seen');
  const confidence = absent(fields.confidence)
    ? null
    : isInt(fields.confidence) && (fields.confidence as number) >= 0 && (fields.confidence as number) <= 100
      ? (fields.confidence as number)
      : reject('confidence', 'confidence must be a whole number from 0 to 100');
  const note = absent(fields.note)
    ? null
    : typeof fields.note === 'string' && fields.note.length <= MAX_INDICATOR_NOTE_LENGTH
      ? fields.note
      : reject('note', `note must be a string of at most ${MAX_INDICATOR_NOTE_LENGTH} characters`);

  if (type === null || value === null || Object.keys(problems).length > 0) return new RejectedItem(problems);
  return { type, value: value.value, isCidr: value.isCidr, firstSeen, lastSeen, confidence, note };
}

type Reject = (field: string, reason: string) => null;

const absent = (value: unknown): boolean => value === undefined || value === null;

function readValue(
  type: IndicatorType | null,
  value: unknown,
  reject: Reject,
): { value: string; isCidr: boolean } | null {
  if (typeof value !== 'string') return reject('value', 'value must be a string');
  if (type === null) return null; // `type` reports its own problem
  const result = canonicaliseIndicator(type, value);
  return result.ok ? { value: result.value, isCidr: result.isCidr } : reject('value', result.reason);
}

function readTime(fields: Fields, field: 'first_seen' | 'last_seen', reject: Reject): Date | null {
  const value = fields[field];
  if (absent(value)) return null;
  if (typeof value === 'string' && isISO8601(value, { strict: true })) return new Date(value);
  return reject(field, `${field} must be an ISO 8601 date and time, e.g. 2026-11-20T08:00:00Z`);
}
