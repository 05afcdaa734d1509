import {
  asyncScheduler,
  concatMap,
  defer,
  from,
  map,
  mergeMap,
  repeat,
  timer,
  type Observable,
  type SchedulerLike,
} from 'rxjs';
import type { Score } from './score.js';

export interface PlayOptions {
  bpm: number;
  instrument: number;
  loop: boolean;
}

/** A value to publish now, and when the score wanted it (ms after the start). */
export interface Hit {
  instrument: number;
  value: number;
  plannedMs: number;
  /** plannedMs on the scheduler's clock (epoch ms on the real one): how late a hit is, is now - dueAt. */
  dueAt: number;
  line: number;
}

/**
 * A score → the values to publish, each emitted at its time. Every onset is scheduled against
 * the absolute start time (start + beat × ms per beat), not as a delay after the previous one, so a late
 * timer does not delay the notes after it and a long loop does not drift.
 */
export const playScore = (
  score: Score,
  options: PlayOptions,
  scheduler: SchedulerLike = asyncScheduler,
): Observable<Hit> =>
  defer(() => {
    const start = scheduler.now();
    const msPerBeat = 60_000 / options.bpm;
    const loopMs = score.lengthBeats * msPerBeat;
    let pass = 0;
    const onePass = defer(() => {
      const passStart = pass * loopMs;
      pass += 1;
      return from(score.onsets).pipe(
        concatMap((onset) => {
          const plannedMs = passStart + onset.beat * msPerBeat;
          return timer(new Date(start + plannedMs), scheduler).pipe(map(() => ({ onset, plannedMs })));
        }),
      );
    });
    return (options.loop ? onePass.pipe(repeat()) : onePass).pipe(
      mergeMap(({ onset, plannedMs }) =>
        onset.values.map((value) => ({
          instrument: options.instrument,
          value,
          plannedMs,
          dueAt: start + plannedMs,
          line: onset.line,
        })),
      ),
    );
  });
