import { StixInputError } from './errors';
import type { StixTimestamp } from './types';

/** A point in time as builders accept it: a Date, or any string `Date` parses (ISO 8601 / RFC 3339). */
export type TimestampInput = Date | string;

// toISOString writes `±YYYYYY-…` outside years 0000–9999, which STIX timestamps cannot express.
const FOUR_DIGIT_YEAR_ISO = /^\d{4}-/;

/**
 * Formats a time as STIX wants it: RFC 3339 in UTC with exactly millisecond precision,
 * `YYYY-MM-DDTHH:mm:ss.sssZ` (spec §2.16 and §3.2, created/modified precision).
 */
export function toStixTimestamp(input: TimestampInput): StixTimestamp {
  if (typeof input !== 'string') {
    return formatTimestamp(input);
  }
  // Batches pass a few shared strings (now, a report's times, now + a lifetime) to every object, interleaved, so a
  // small memo of recent strings skips nearly every re-parse.
  const known = recentStrings.get(input);
  if (known !== undefined) {
    return known;
  }
  const output = formatTimestamp(input);
  if (recentStrings.size >= RECENT_STRINGS) {
    recentStrings.clear();
  }
  recentStrings.set(input, output);
  return output;
}

const RECENT_STRINGS = 64;
const recentStrings = new Map<string, StixTimestamp>();

function formatTimestamp(input: TimestampInput): StixTimestamp {
  const date = typeof input === 'string' ? new Date(input) : input;
  const time = date.getTime();
  if (Number.isNaN(time)) {
    throw new StixInputError(`not a valid time: ${String(input)}`);
  }
  const iso = date.toISOString();
  if (!FOUR_DIGIT_YEAR_ISO.test(iso)) {
    throw new StixInputError(`time outside the years 0000-9999: ${iso}`);
  }
  return iso;
}

/** The current time as a STIX timestamp. */
export function stixNow(): StixTimestamp {
  return new Date().toISOString();
}
