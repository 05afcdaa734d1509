import { defer, filter, merge, mergeMap, tap, type Observable } from 'rxjs';
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
          tap((v) => current.set(v.knob, v)),
          filter(() => connected),
        ),
        connected$.pipe(
          mergeMap((up) => {
            const reconnected = up && !connected;
            connected = up;
            return reconnected ? [...current.values()].sort((a, b) => a.knob - b.knob) : [];
          }),
        ),
      );
    });
