import { monoMs } from './clock.js';

/**
 * Calls `send(i)` `rate` times a second for `durationMs`, on schedule against absolute times (a
 * late wake-up sends what is due instead of drifting). Resolves with how many were sent.
 * `spin: false` sends in batches at most every millisecond (for a crowd's many senders).
 */
export function pace(
  rate: number,
  durationMs: number,
  send: (i: number) => void,
  { spin = true } = {},
): Promise<number> {
  return new Promise((resolve) => {
    const start = monoMs();
    const total = Math.floor((rate * durationMs) / 1000);
    let sent = 0;
    const tick = () => {
      const due = Math.min(total, Math.floor(((monoMs() - start) * rate) / 1000) + 1);
      while (sent < due) send(sent++);
      if (sent >= total) return resolve(sent);
      const nextAt = start + (sent * 1000) / rate;
      const wait = nextAt - monoMs();
      // spin: false waits at least a millisecond and sends what is due then, instead of spinning
      // through setImmediate; a generator of thousands of messages a second must not take a whole
      // core of a 2-core machine from the processes it measures.
      if (wait >= 1 || !spin) setTimeout(tick, Math.max(1, Math.floor(wait)));
      else setImmediate(tick);
    };
    tick();
  });
}
