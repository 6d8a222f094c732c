/** Pure: the containment times still inside the rolling window ending at `now`. */
export function slideBreakerWindow(times: readonly number[], now: number, windowMs: number): number[] {
  return times.filter((time) => time > now - windowMs && time <= now);
}
