import {
  asyncScheduler,
  filter,
  map,
  share,
  throttleTime,
  withLatestFrom,
  type Observable,
  type SchedulerLike,
} from 'rxjs';
import { statusSchema } from '../contract/contract.js';

/** A running service re-announces `online` at most this often, however many `offline`s it sees. */
export const REANNOUNCE_MIN_INTERVAL_MS = 1_000;

/** Whether a payload on a service's own `status/{name}` says it is online (anything else is a lie while it runs). */
export function saysOnline(payload: string): boolean {
  try {
    const parsed = statusSchema.safeParse(JSON.parse(payload));
    return parsed.success && parsed.data.state === 'online';
  } catch {
    return false;
  }
}

/**
 * What a running service sees on its own retained status (true: it says online) → when to publish
 * `online` again. A duplicate copy's Last Will or a dying old copy's stop leaves a retained
 * `offline` that would stick; the first one is answered at once, later ones at most once per
 * `minIntervalMs` (only offlines start that second: an `online`, our own echo, delays nothing),
 * and only if the latest status seen still is not `online` (our echo cancels a pending answer).
 * Only `offline` triggers it, and it only ever answers with `online`, so two live copies cannot
 * set each other off: neither publishes `offline` while it runs.
 */
export const reannouncements =
  (minIntervalMs = REANNOUNCE_MIN_INTERVAL_MS, scheduler: SchedulerLike = asyncScheduler) =>
  (saysOnline$: Observable<boolean>): Observable<void> => {
    const seen$ = saysOnline$.pipe(share());
    return seen$.pipe(
      filter((online) => !online),
      throttleTime(minIntervalMs, scheduler, { leading: true, trailing: true }),
      withLatestFrom(seen$),
      filter(([, online]) => !online),
      map(() => undefined),
    );
  };
