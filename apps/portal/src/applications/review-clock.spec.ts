import { addWorkingDays, reviewClock, workingDaysBetween } from './review-clock';

// 2026-11-27 is a Friday.
const friday = new Date('2026-11-27T10:00:00Z');

describe('review clock', () => {
  it('counts Monday to Friday only', () => {
    expect(workingDaysBetween(friday, new Date('2026-11-27T23:00:00Z'))).toBe(0);
    expect(workingDaysBetween(friday, new Date('2026-11-29T12:00:00Z'))).toBe(0);
    expect(workingDaysBetween(friday, new Date('2026-11-30T08:00:00Z'))).toBe(1);
    expect(workingDaysBetween(friday, new Date('2026-12-11T08:00:00Z'))).toBe(10);
  });

  it('puts the due date 20 working days (four weeks) later, skipping weekends', () => {
    expect(addWorkingDays(friday, 20).toISOString()).toBe('2026-12-25T10:00:00.000Z');
    expect(addWorkingDays(friday, 1).toISOString()).toBe('2026-11-30T10:00:00.000Z');
    expect(addWorkingDays(new Date('2026-11-28T10:00:00Z'), 1).toISOString()).toBe('2026-11-30T10:00:00.000Z');
  });

  const running = { verifiedAt: friday, decidedAt: null, clockPausedAt: null, pausedWorkingDays: 0 };

  it('flags an open application past its due date, never a decided one', () => {
    const late = new Date('2026-12-28T09:00:00Z');
    expect(reviewClock(running, 20, late)).toMatchObject({ elapsedWorkingDays: 21, overdue: true, paused: false });
    expect(reviewClock(running, 20, new Date('2026-12-24T09:00:00Z')).overdue).toBe(false);
    const decided = new Date('2026-12-01T09:00:00Z');
    expect(reviewClock({ ...running, decidedAt: decided }, 20, late)).toMatchObject({
      elapsedWorkingDays: 2,
      overdue: false,
      stoppedAt: decided,
    });
  });

  it('does not count the days spent waiting for the applicant, and pushes the due date back by them', () => {
    // Waited 3 working days before, and waits since Monday 7 December.
    const waiting = { ...running, clockPausedAt: new Date('2026-12-07T10:00:00Z'), pausedWorkingDays: 3 };
    const clock = reviewClock(waiting, 20, new Date('2026-12-30T09:00:00Z'));
    expect(clock).toMatchObject({ paused: true, overdue: false, waitingWorkingDays: 3 + 17 });
    expect(clock.elapsedWorkingDays).toBe(23 - 20);
    const resumed = reviewClock({ ...running, pausedWorkingDays: 3 }, 20, new Date('2026-12-28T09:00:00Z'));
    expect(resumed).toMatchObject({ elapsedWorkingDays: 18, overdue: false, paused: false });
    expect(resumed.dueAt.toISOString()).toBe('2026-12-30T10:00:00.000Z');
  });
});
