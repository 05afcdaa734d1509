import { defer, map, type Observable, type OperatorFunction, type SchedulerLike } from 'rxjs';
import { LAST_INSTRUMENT } from '../../shared/contract/topics.js';
import type { DroppedOutput, Reading, RejectionOutput } from './mapper-output.js';

const DROPPED: readonly DroppedOutput[] = Array.from({ length: LAST_INSTRUMENT + 1 }, (_, instrument) =>
  Object.freeze({ kind: 'dropped' as const, instrument }),
);

/**
 * Per-instrument rate limit: a reading that arrives less than `minIntervalMs(instrument)` after
 * the last one let through for that instrument is dropped (replaced by a `dropped` marker so it
 * is counted), never queued: a stale note played late is worse than a missing one. Values on the
 * performer's lane pass untouched.
 *
 * Arrival is `scheduler.now()` when the reading passes, not the message's `receivedAt`: the
 * scheduler is the pipeline's clock, so in a marble test it is virtual time.
 */
export const throttlePerInstrument =
  (
    minIntervalMs: (instrument: number) => number,
    scheduler: SchedulerLike,
  ): OperatorFunction<Reading | RejectionOutput, Reading | RejectionOutput | DroppedOutput> =>
  (source: Observable<Reading | RejectionOutput>) =>
    defer(() => {
      const lastPassedAt = new Float64Array(LAST_INSTRUMENT + 1).fill(Number.NEGATIVE_INFINITY);
      return source.pipe(
        map((reading) => {
          // The performer's values are never shed, and they do not hold the audience back either.
          if (reading.kind !== 'reading' || reading.performer) return reading;
          const now = scheduler.now();
          const elapsed = now - lastPassedAt[reading.instrument]!;
          // elapsed < 0: the wall clock went back; let the note through rather than drop for as long.
          if (elapsed >= 0 && elapsed < minIntervalMs(reading.instrument)) return DROPPED[reading.instrument]!;
          lastPassedAt[reading.instrument] = now;
          return reading;
        }),
      );
    });
