import {
  asyncScheduler,
  concat,
  defer,
  groupBy,
  map,
  mergeMap,
  of,
  switchMap,
  timer,
  type Observable,
  type SchedulerLike,
} from 'rxjs';
import type { NoteEvent } from '../../shared/contract.js';
import type { SynthCommand } from './commands.js';

export interface PlayOptions {
  /** A guard against absurd durations: no note sounds longer than this. */
  maxNoteMs: number;
}

export const defaultPlayOptions: PlayOptions = { maxNoteMs: 10_000 };

/**
 * Note events → MIDI commands: a program change when a channel's program changes, note on now,
 * note off after `durationMs`. The same note again on a channel before its off is turned off
 * first, and its earlier off is cancelled so it cannot cut the new one short.
 */
export const playNotes =
  (options: PlayOptions = defaultPlayOptions, scheduler: SchedulerLike = asyncScheduler) =>
  (events$: Observable<NoteEvent>): Observable<SynthCommand> =>
    defer(() => {
      const programByChannel = new Map<number, number>();
      return events$.pipe(
        map((event) => {
          const changed = programByChannel.get(event.channel) !== event.program;
          programByChannel.set(event.channel, event.program);
          return { event, programChange: changed };
        }),
        groupBy(({ event }) => event.channel * 128 + event.note),
        mergeMap((sameKey$) => {
          let sounding = false;
          return sameKey$.pipe(
            switchMap(({ event, programChange }) => {
              const { channel, note } = event;
              const off: SynthCommand = { kind: 'noteOff', channel, note };
              const before: SynthCommand[] = [];
              if (programChange) before.push({ kind: 'program', channel, program: event.program });
              if (sounding) before.push(off);
              if (event.velocity === 0) {
                sounding = false;
                return of(...before);
              }
              sounding = true;
              const on: SynthCommand = { kind: 'noteOn', channel, note, velocity: event.velocity, event };
              const lengthMs = Math.min(event.durationMs, options.maxNoteMs);
              return concat(
                of(...before, on),
                timer(lengthMs, scheduler).pipe(
                  mergeMap(() => {
                    sounding = false;
                    return of(off);
                  }),
                ),
                            );
            }),
          );
        }),
      );
    });
