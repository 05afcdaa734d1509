import { defer, map, type Observable, type OperatorFunction, type SchedulerLike } from 'rxjs';
import type { Instrument } from '../../shared/contract/contract.js';
import { LAST_INSTRUMENT } from '../../shared/contract/topics.js';
import { noteLookup, type NoteLookup } from './map-value.js';
import type { DropReason, DroppedOutput, Reading, RejectionOutput } from './mapper-output.js';
import { NoteBudget } from './note-budget.js';
import { RetriggerGuard } from './retrigger-guard.js';

const dropped = (reason: DropReason): readonly DroppedOutput[] =>
  Array.from({ length: LAST_INSTRUMENT + 1 }, (_, instrument) =>
    Object.freeze({ kind: 'dropped' as const, instrument, reason }),
  );
const RETRIGGER = dropped('retrigger');
const RATE = dropped('rate');

/**
 * The audience's rate rules, per instrument: a value whose note the instrument played less than
 * `retriggerMs` ago is dropped, and beyond `maxNotesPerSecond` (a token bucket) every value is
 * dropped; a chord's notes, all different, pass together. A dropped value becomes a `dropped`
 * marker with its reason, so it is counted; it is never queued (a stale note played late is worse
 * than a missing one). Only a played note spends a token or starts its retrigger time. Values on
 * the performer's lane pass untouched and do not count.
 *
 * The check is on the note the value maps to (two values that snap to one note are one note),
 * and time is `scheduler.now()`, the pipeline's clock: virtual time in a marble test.
 */
export const limitAudience =
  (
    instruments: readonly Instrument[],
    scheduler: SchedulerLike,
  ): OperatorFunction<Reading | RejectionOutput, Reading | RejectionOutput | DroppedOutput> =>
  (source: Observable<Reading | RejectionOutput>) =>
    defer(() => {
      const byNumber: (Instrument | undefined)[] = [];
      const lookups: NoteLookup[] = [];
      for (const i of instruments) {
        byNumber[i.instrument] = i;
        lookups[i.instrument] = noteLookup(i);
      }
      const guard = new RetriggerGuard((n) => byNumber[n]?.retriggerMs ?? 0);
      const budget = new NoteBudget((n) => byNumber[n]?.maxNotesPerSecond ?? 0);
      return source.pipe(
        map((reading) => {
          if (reading.kind !== 'reading' || reading.performer) return reading;
          const { instrument } = reading;
          const note = lookups[instrument]!.note(reading.value);
          const now = scheduler.now();
          if (guard.tooSoon(instrument, note, now)) return RETRIGGER[instrument]!;
          if (!budget.allows(instrument, now)) return RATE[instrument]!;
          budget.spend(instrument);
          guard.played(instrument, note, now);
          return reading;
        }),
      );
    });
