import { ErrorCode, VigiaException } from '@vigia/common';
import { TaxiiPosition } from '@vigia/database';

/** Digits of a sequence number appended to a microsecond timestamp (a bigint has at most 19). */
const SEQ_DIGITS = 19;
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z$/;

/** A STIX/TAXII timestamp (UTC, `Z`) as microseconds text, or undefined when it is not one. */
export function microsecondTimestamp(text: string): string | undefined {
  const match = TIMESTAMP.exec(text);
  // A calendar date and time that exists (Date would roll 2025-02-30 over to March).
  const parsed = match ? new Date(`${match[1]}Z`) : undefined;
  if (!match || !parsed || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 19) !== match[1]) {
    return undefined;
  }
  return `${match[1]}.${(match[2] ?? '').slice(0, 6).padEnd(6, '0')}Z`;
}

/**
 * `added_after` as a position. A plain timestamp means after everything added up to that instant. A timestamp this
 * server wrote in `X-TAXII-Date-Added-Last` when a page ended among versions added at the same microsecond carries
 * the last one's sequence number in 19 more fraction digits, so re-asking with it goes on exactly where the page
 * stopped (never repeating, never skipping), as `next` does.
 */
export function parseAddedAfter(text: string): TaxiiPosition {
  const match = TIMESTAMP.exec(text);
  const dateAdded = microsecondTimestamp(text);
  if (!match || dateAdded === undefined) {
    throw new VigiaException(
      ErrorCode.ValidationFailed,
      'added_after must be a UTC timestamp like 2025-01-31T12:00:00.000Z',
      [{ path: 'added_after', value: text, reason: 'not a UTC timestamp (RFC 3339, ending in Z)' }],
    );
  }
  const fraction = match[2] ?? '';
  if (fraction.length === 6 + SEQ_DIGITS) return { dateAdded, seq: BigInt(fraction.slice(6)).toString() };
  return { dateAdded, seq: null };
}

/**
 * The `X-TAXII-Date-Added-Last` of a page: the last version's `date_added`, with its sequence number appended when the
 * next version shares that microsecond (see `parseAddedAfter`).
 */
export function dateAddedLastHeader(last: { dateAdded: string; seq: string }, nextSharesInstant: boolean): string {
  if (!nextSharesInstant) return last.dateAdded;
  return `${last.dateAdded.slice(0, -1)}${last.seq.padStart(SEQ_DIGITS, '0')}Z`;
}
