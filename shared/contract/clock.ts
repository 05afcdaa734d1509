/** Epoch milliseconds with a fraction, comparable across processes on one machine. */
export const epochNow = (): number => performance.timeOrigin + performance.now();

/** A reading of `performance.now()` as epoch milliseconds (as `epochNow` gives them). */
export const epochAt = (monotonicMs: number): number => performance.timeOrigin + monotonicMs;
