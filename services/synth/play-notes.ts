import { asyncScheduler, concat, defer, map, merge, mergeMap, NEVER, of, timer, type Observable, type SchedulerLike } from 'rxjs';
import type { NoteEvent } from '../../shared/contract.js';
import type { SynthCommand } from './commands.js';
import { Voices } from './voices.js';

export interface PlayOptions {
  /** A guard against absurd durations: no note sounds longer than this. */
  maxNoteMs: number;
  /** Polyphony cap per channel: a new note beyond it steals the oldest one (note off first). */
  maxVoicesPerChannel: number;
}

export const defaultPlayOptions: PlayOptions = { maxNoteMs: 10_000, maxVoicesPerChannel: 16 };

/**
 * Note events → MIDI commands: a program change when a channel's program changes, note on now,
 * note off after `durationMs` (capped at `maxNoteMs`). The same note again on a channel before
 * its off is turned off first, and its earlier off can no longer cut the new one short; velocity
 * 0 turns a sounding note off; beyond `maxVoicesPerChannel` the oldest note is stolen. Anything
 * on `panics$` silences everything at once (see `Voices.panic`).
 */
export const playNotes =
  (options: Partial<PlayOptions> = {}, scheduler: SchedulerLike = asyncScheduler) =>
  (events$: Observable<NoteEvent>, panics$: Observable<unknown> = NEVER): Observable<SynthCommand> =>
    defer(() => {
      const { maxNoteMs, maxVoicesPerChannel } = { ...defaultPlayOptions, ...options };
      const voices = new Voices(maxVoicesPerChannel);
      const inputs$ = merge(
        events$.pipe(map((event) => ({ event }))),
        panics$.pipe(map(() => ({ event: undefined }))),
      );
      return inputs$.pipe(
        mergeMap(({ event }) => {
          if (!event) return of(...voices.panic());
          const { commands, voice } = voices.start(event);
          if (!voice) return of(...commands);
          const ending$ = timer(Math.min(event.durationMs, maxNoteMs), scheduler).pipe(mergeMap(() => of(...voices.end(voice))));
          return concat(of(...commands), ending$);
        }),
      );
    });
