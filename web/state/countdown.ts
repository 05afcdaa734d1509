import { asyncScheduler, map, merge, of, switchMap, timer, type Observable, type SchedulerLike } from 'rxjs';
import type { ConnectionState } from './backoff.js';

export interface CountdownStep {
  /** When to show it, after the retry was planned. */
  afterMs: number;
  /** What is left until the retry then. */
  leftMs: number;
}

/**
 * What a retry `inMs` away shows as it comes closer: the whole wait at once, then each whole
 * second left (4.6 s, 4.0 s, 3.0 s, 2.0 s, 1.0 s), so the line visibly ticks.
 */
export function countdownSteps(inMs: number, stepMs = 1_000): CountdownStep[] {
  const steps: CountdownStep[] = [{ afterMs: 0, leftMs: inMs }];
  for (let left = Math.ceil(inMs / stepMs - 1) * stepMs; left > 0; left -= stepMs) {
    steps.push({ afterMs: inMs - left, leftMs: left });
  }
  return steps;
}

/** Connection states → the states the status line shows: a reconnect's wait counted down each second. */
export const tickingConnection =
  (scheduler: SchedulerLike = asyncScheduler) =>
  (state$: Observable<ConnectionState>): Observable<ConnectionState> =>
    state$.pipe(
      switchMap((c) =>
        c.state === 'reconnecting'
          ? merge(
              ...countdownSteps(c.inMs).map((step) =>
                step.afterMs === 0
                  ? of({ ...c, inMs: step.leftMs })
                  : timer(step.afterMs, scheduler).pipe(map(() => ({ ...c, inMs: step.leftMs }))),
              ),
            )
          : of(c),
      ),
    );
