export interface RestartPolicy {
  /** At most this many restarts… */
  maxRestarts: number;
  /** …within this many milliseconds; past that the output is given up for `none`. */
  windowMs: number;
}

/** FLUIDSYNTH_MAX_RESTARTS counts restarts within this window. */
export const RESTART_WINDOW_MS = 60_000;

/** Whether a crash at `now` may be answered with a restart, given the earlier crash times. */
export function mayRestart(earlierCrashes: readonly number[], now: number, policy: RestartPolicy): boolean {
  const recent = earlierCrashes.filter((t) => now - t < policy.windowMs).length;
  return recent < policy.maxRestarts;
}
