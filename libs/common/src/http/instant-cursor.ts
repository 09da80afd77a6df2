import { validationException } from '../errors/validation';

/** A keyset position in a list ordered by an instant (to the microsecond, as PostgreSQL keeps it) then an id. */
export interface InstantCursor {
  /** `YYYY-MM-DDTHH:MM:SS.ffffffZ` */
  instant: string;
  id: string;
}

const CURSOR =
  /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z) ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** The opaque `next_cursor` of a page whose last row is at `cursor`. */
export const encodeInstantCursor = (cursor: InstantCursor): string =>
  Buffer.from(`${cursor.instant} ${cursor.id}`).toString('base64url');

/** Reads a cursor `encodeInstantCursor` made; anything else is a 400 naming the `cursor` field. */
export function decodeInstantCursor(text: string): InstantCursor {
  const match = CURSOR.exec(Buffer.from(text, 'base64url').toString('utf8'));
  // A date that only looks like one (month 13, 30 February) would reach PostgreSQL and fail there.
  if (!match || !isRealInstant(match[1]!)) {
    throw validationException([{ path: 'cursor', value: text, reason: 'not a cursor this API returned' }]);
  }
  return { instant: match[1]!, id: match[2]! };
}

/** `2025-02-30T…` parses (as 2 March) but is not the instant it names. */
function isRealInstant(exact: string): boolean {
  const parsed = new Date(exact);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 19) === exact.slice(0, 19);
}
