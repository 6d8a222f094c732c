/**
 * Where every test clock starts: the real now, floored to the minute (readable times in logs and alerts). Never a
 * calendar date: a record written at a pinned date stops being "recent" as the calendar moves on, while a process
 * the test starts (the CLI) reads the real clock. Starting at the real now, the harness and the CLI agree to within
 * the seconds a test takes, on any date (CI runs the time-sensitive tests 400 days ahead as well).
 */
export function clockStart(): number {
  return Math.floor(Date.now() / 60_000) * 60_000;
}

/** A time `ms` after `start`, as an ISO string: fixtures whose dates matter are written relative to the clock. */
export const isoAt = (start: number, ms: number) => new Date(start + ms).toISOString();
