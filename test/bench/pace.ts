import { monoMs } from './clock.js';

/**
 * Calls `send(i)` `rate` times a second for `durationMs`, on schedule against absolute times (a
 * late wake-up sends what is due instead of drifting). Resolves with how many were sent.
 */
export function pace(rate: number, durationMs: number, send: (i: number) => void): Promise<number> {
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
      if (wait >= 1) setTimeout(tick, Math.floor(wait));
      else setImmediate(tick);
    };
    tick();
  });
}
