import { asyncScheduler, NEVER, Observable, type SchedulerLike, type Subscription } from 'rxjs';
import type { NoteEvent } from '../../shared/contract/contract.js';
import type { SynthCommand } from './commands.js';
import { Voices } from './voices.js';

export interface PlayOptions {
  /** A guard against absurd durations: no note sounds longer than this. */
  maxNoteMs: number;
  /** Polyphony cap per channel: a new note beyond it steals the oldest one (note off first). */
  maxVoicesPerChannel: number;
}

/**
 * Note events → MIDI commands: a program change when a channel's program changes, note on now,
 * note off after `durationMs` (capped at `maxNoteMs`). The same note again on a channel before
 * its off is turned off first, and its earlier off can no longer cut the new one short; velocity
 * 0 turns a sounding note off; beyond `maxVoicesPerChannel` the oldest note is stolen. Anything
 * on `panics$` silences everything at once (see `Voices.panic`). Completes when both inputs have
 * and every note has ended.
 *
 * Per note: one scheduled note off, no inner Observables.
 */
export const playNotes =
  ({ maxNoteMs, maxVoicesPerChannel }: PlayOptions, scheduler: SchedulerLike = asyncScheduler) =>
  (events$: Observable<NoteEvent>, panics$: Observable<unknown> = NEVER): Observable<SynthCommand> =>
    new Observable<SynthCommand>((subscriber) => {
      const voices = new Voices(maxVoicesPerChannel);
      const endings = new Set<Subscription>();
      let inputsOpen = 2;
      const emit = (commands: readonly SynthCommand[]) => {
        for (const command of commands) subscriber.next(command);
      };
      const completeIfDone = () => {
        if (inputsOpen === 0 && endings.size === 0) subscriber.complete();
      };
      const inputDone = () => {
        inputsOpen -= 1;
        completeIfDone();
      };
      const fail = (error: unknown) => subscriber.error(error);

      const notes = events$.subscribe({
        next: (event) => {
          const { commands, voice } = voices.start(event);
          emit(commands);
          if (!voice) return;
          const ending = scheduler.schedule(
            () => {
              endings.delete(ending);
              emit(voices.end(voice));
              completeIfDone();
            },
            Math.min(event.durationMs, maxNoteMs),
          );
          endings.add(ending);
        },
        error: fail,
        complete: inputDone,
      });
      const panics = panics$.subscribe({ next: () => emit(voices.panic()), error: fail, complete: inputDone });
      return () => {
        notes.unsubscribe();
        panics.unsubscribe();
        for (const ending of endings) ending.unsubscribe();
      };
    });
