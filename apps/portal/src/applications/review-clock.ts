const DAY_MS = 24 * 60 * 60 * 1000;

/** Monday to Friday, by the UTC calendar (the network spans time zones; holidays differ by country). */
const isWorkingDay = (date: Date): boolean => date.getUTCDay() !== 0 && date.getUTCDay() !== 6;

const startOfUtcDay = (date: Date): number => Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());

/** Working days after `start`'s day up to and including `end`'s day: verified on a Friday, it is 1 on Monday. */
export function workingDaysBetween(start: Date, end: Date): number {
  let count = 0;
  for (let day = startOfUtcDay(start) + DAY_MS; day <= startOfUtcDay(end); day += DAY_MS) {
    if (isWorkingDay(new Date(day))) count += 1;
  }
  return count;
}

/** The moment `days` working days after `start` (same time of day), skipping Saturdays and Sundays. */
export function addWorkingDays(start: Date, days: number): Date {
  let moment = start.getTime();
  for (let left = days; left > 0;) {
    moment += DAY_MS;
    if (isWorkingDay(new Date(moment))) left -= 1;
  }
  return new Date(moment);
}

/** An application's review clock: it starts when the applicant verified their address and stops at the decision. */
export interface ReviewClock {
  startedAt: Date;
  targetWorkingDays: number;
  elapsedWorkingDays: number;
  dueAt: Date;
  /** Still open past its due date. */
  overdue: boolean;
  stoppedAt: Date | null;
}

export function reviewClock(
  verifiedAt: Date,
  decidedAt: Date | null,
  targetWorkingDays: number,
  now: Date = new Date(),
): ReviewClock {
  const dueAt = addWorkingDays(verifiedAt, targetWorkingDays);
  return {
    startedAt: verifiedAt,
    targetWorkingDays,
    elapsedWorkingDays: workingDaysBetween(verifiedAt, decidedAt ?? now),
    dueAt,
    overdue: decidedAt === null && now.getTime() > dueAt.getTime(),
    stoppedAt: decidedAt,
  };
}
