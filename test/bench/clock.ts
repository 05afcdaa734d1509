/**
 * Monotonic milliseconds from the kernel's CLOCK_MONOTONIC (libuv's hrtime): one clock for every
 * process on this machine, so a send time in the bench and a note-on time in a service process
 * can be subtracted without the wall-clock offsets `performance.timeOrigin` carries.
 */
export const monoMs = (): number => Number(process.hrtime.bigint()) / 1e6;
