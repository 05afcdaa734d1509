import { defer, map, merge, mergeMap, type Observable } from 'rxjs';
import type { KnobValue } from './knob-values.js';

/**
 * Passes knob values on while the broker is connected. While it is not, nothing is passed on
 * (so no backlog of stale movements builds up), and on reconnecting every knob's current value
 * is passed on once (also on the first connection, for knobs read before it).
 */
export const positionsAfterOutage =
  (connected$: Observable<boolean>) =>
  (values$: Observable<KnobValue>): Observable<KnobValue> =>
    defer(() => {
      const current = new Map<number, KnobValue>();
      let connected = false;
      return merge(
        values$.pipe(
          map((v) => {
            current.set(v.knob, v);
            return connected ? [v] : [];
          }),
        ),
        connected$.pipe(
          map((up) => {
            const reconnected = up && !connected;
            connected = up;
            return reconnected ? [...current.values()].sort((a, b) => a.knob - b.knob) : [];
          }),
        ),
      ).pipe(mergeMap((values) => values));
    });
