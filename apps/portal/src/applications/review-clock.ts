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
  /** Working days counted: waiting for the applicant's answers is not. */
  elapsedWorkingDays: number;
  /** Working days spent waiting for the applicant's answers, the current wait included. */
  waitingWorkingDays: number;
  /** The target after the start, pushed back by the waiting. */
  dueAt: Date;
  /** Waiting for the applicant's answer now. */
  paused: boolean;
  /** Still open and running past its due date. */
  overdue: boolean;
  stoppedAt: Date | null;
}

/** Where an application's clock stands, as stored. */
export interface ClockState {
  verifiedAt: Date;
  decidedAt: Date | null;
  clockPausedAt: Date | null;
  pausedWorkingDays: number;
}

export function reviewClock(state: ClockState, targetWorkingDays: number, now: Date = new Date()): ReviewClock {
  const { verifiedAt, decidedAt, clockPausedAt } = state;
  const paused = clockPausedAt !== null && decidedAt === null;
  const waitingWorkingDays = state.pausedWorkingDays + (paused ? workingDaysBetween(clockPausedAt, now) : 0);
  const dueAt = addWorkingDays(verifiedAt, targetWorkingDays + waitingWorkingDays);
  return {
    startedAt: verifiedAt,
    targetWorkingDays,
    elapsedWorkingDays: Math.max(0, workingDaysBetween(verifiedAt, decidedAt ?? now) - waitingWorkingDays),
    waitingWorkingDays,
    dueAt,
    paused,
    overdue: decidedAt === null && !paused && now.getTime() > dueAt.getTime(),
    stoppedAt: decidedAt,
  };
}
