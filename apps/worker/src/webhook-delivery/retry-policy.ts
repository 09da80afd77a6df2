/** Each scheduled delay is spread by ±10 % so deliveries that failed together do not all retry at the same instant. */
export const RETRY_JITTER = 0.1;

/** Receivers may ask for a pause (Retry-After) only with these statuses. */
const RETRY_AFTER_STATUSES: ReadonlySet<number> = new Set([429, 503]);

/** The delay before retry number `failedAttempts` (1-based), jittered; undefined once the schedule is used up. */
export function scheduledDelay(
  schedule: readonly number[],
  failedAttempts: number,
  random: () => number = Math.random,
): number | undefined {
  const base = schedule[failedAttempts - 1];
  if (base === undefined) return undefined;
  return Math.max(0, Math.round(base * (1 + RETRY_JITTER * (2 * random() - 1))));
}

/** `Retry-After` in milliseconds from now: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | undefined, now: number = Date.now()): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export interface RetryInput {
  schedule: readonly number[];
  /** Failed attempts so far, this one included. */
  failedAttempts: number;
  statusCode: number | null;
  retryAfter?: string;
  maxRetryAfterMs: number;
  now?: number;
}

/**
 * When to try again after a failed attempt, or undefined when that was the last one: the schedule's next delay,
 * pushed back to the receiver's `Retry-After` (on 429 and 503, capped at `maxRetryAfterMs`) when that is later.
 */
export function nextRetryDelay({
  schedule,
  failedAttempts,
  statusCode,
  retryAfter,
  maxRetryAfterMs,
  now,
}: RetryInput): number | undefined {
  const scheduled = scheduledDelay(schedule, failedAttempts);
  if (scheduled === undefined) return undefined;
  const asked =
    statusCode !== null && RETRY_AFTER_STATUSES.has(statusCode) ? parseRetryAfter(retryAfter, now) : undefined;
  return asked === undefined ? scheduled : Math.max(scheduled, Math.min(asked, maxRetryAfterMs));
}
