import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
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

/** The optional `cursor` query field of a list paged by instant cursors (longer text cannot be one). */
export const InstantCursorQuery = (): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({ description: 'next_cursor of the previous page' }),
    IsOptional(),
    IsString(),
    MaxLength(200),
  );

/** Where to start a keyset page: before the cursor's row, or from the newest when there is no cursor. */
export const instantCursorStart = (cursor: string | undefined): InstantCursor | undefined =>
  cursor === undefined ? undefined : decodeInstantCursor(cursor);

/**
 * A page of at most `limit` items from `rows`, which were fetched with `limit + 1` so that an extra row tells there is
 * a next page; `next_cursor` then points at the page's last row (`instantOf` gives its exact instant).
 */
export function instantCursorPage<Row extends { id: string }, Item>(
  rows: readonly Row[],
  limit: number,
  toItem: (row: Row) => Item,
  instantOf: (row: Row) => string,
): { items: Item[]; next_cursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((row) => toItem(row)),
    next_cursor: rows.length > limit && last ? encodeInstantCursor({ instant: instantOf(last), id: last.id }) : null,
  };
}
