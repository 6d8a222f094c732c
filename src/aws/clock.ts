/**
 * The one clock. Every reading of the time and every pause in src/ comes from a Clock handed in through `deps` (or a
 * command's composition root); only this module reads the wall clock. Tests hand in their own, so that a sequence
 * of reports, retries and windows runs on a time they control — and a process they start (the CLI) shares it
 * because their clock starts at the real now (test/support/testClock.ts).
 *
 * Two readings elsewhere are not the clock and say why where they stand: the X-Ray tracer's segment times
 * (src/aws/traceAwsCalls.ts, which must match the wall clock X-Ray's daemon stamps with) and the local emulator's
 * start-up wait (src/local/startLocalAws.ts, a deadline for a child process, not a decision).
 */
export interface Clock {
  now: () => Date;
  /** Waits `ms` of this clock's time: the busy wait for a credential another invocation holds, and back-offs. */
  sleep: (ms: number) => Promise<void>;
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
