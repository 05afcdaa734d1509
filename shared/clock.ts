/** Epoch milliseconds with a fraction, comparable across processes on one machine. */
export const epochNow = (): number => performance.timeOrigin + performance.now();
