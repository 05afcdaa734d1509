import { asyncScheduler, Observable, type SchedulerLike, type Subscription } from 'rxjs';
import type { NoteEvent } from '../../shared/contract.js';
import type { SynthCommand } from './commands.js';

export interface PlayOptions {
  /** A guard against absurd durations: no note sounds longer than this. */
  maxNoteMs: number;
}

export const defaultPlayOptions: PlayOptions = { maxNoteMs: 10_000 };

interface PendingOff {
  readonly key: number;
  readonly dueAt: number;
  readonly command: SynthCommand;
  cancelled: boolean;
}

/**
 * Note events → MIDI commands: a program change when a channel's program changes, note on now,
 * note off after `durationMs`. The same note again on a channel before its off is turned off
 * first, and its earlier off is cancelled so it cannot cut the new one short.
 *
 * Note offs wait in one queue, in the order they fall due, behind a single scheduled wake-up
 * (not a timer and a handful of subscriptions per note: at hundreds of notes a second those
 * were most of the synth's work). Completes when the events do and the last note off is out.
 */
export const playNotes =
  (options: PlayOptions = defaultPlayOptions, scheduler: SchedulerLike = asyncScheduler) =>
  (events$: Observable<NoteEvent>): Observable<SynthCommand> =>
    new Observable<SynthCommand>((subscriber) => {
      const programByChannel = new Map<number, number>();
      const pendingByKey = new Map<number, PendingOff>();
      const queue: PendingOff[] = [];
      let wakeUp: Subscription | undefined;
      let wakeAt = Infinity;
      let eventsDone = false;

      const arm = () => {
        while (queue.length > 0 && queue[0]!.cancelled) queue.shift();
        if (queue.length === 0) {
          if (eventsDone) subscriber.complete();
          return;
        }
        const next = queue[0]!.dueAt;
        if (next >= wakeAt) return;
        wakeUp?.unsubscribe();
        wakeAt = next;
        wakeUp = scheduler.schedule(sendDueOffs, Math.max(0, next - scheduler.now()));
      };
      function sendDueOffs() {
        wakeUp = undefined;
        wakeAt = Infinity;
        const now = scheduler.now();
        while (queue.length > 0 && queue[0]!.dueAt <= now) {
          const due = queue.shift()!;
          if (due.cancelled) continue;
          pendingByKey.delete(due.key);
          subscriber.next(due.command);
        }
        arm();
      }
      const schedule = (pending: PendingOff) => {
        let i = queue.length;
        while (i > 0 && queue[i - 1]!.dueAt > pending.dueAt) i -= 1;
        queue.splice(i, 0, pending);
        pendingByKey.set(pending.key, pending);
        arm();
      };

      const source = events$.subscribe({
        next(event) {
          const { channel, note } = event;
          if (programByChannel.get(channel) !== event.program) {
            programByChannel.set(channel, event.program);
            subscriber.next({ kind: 'program', channel, program: event.program });
          }
          const key = channel * 128 + note;
          const sounding = pendingByKey.get(key);
          if (sounding) {
            sounding.cancelled = true;
            pendingByKey.delete(key);
            subscriber.next(sounding.command);
          }
          if (event.velocity === 0) return;
          subscriber.next({ kind: 'noteOn', channel, note, velocity: event.velocity, event });
          const lengthMs = Math.min(event.durationMs, options.maxNoteMs);
          schedule({ key, dueAt: scheduler.now() + lengthMs, command: { kind: 'noteOff', channel, note }, cancelled: false });
        },
        error: (error: unknown) => subscriber.error(error),
        complete() {
          eventsDone = true;
          arm();
        },
      });
      return () => {
        source.unsubscribe();
        wakeUp?.unsubscribe();
      };
    });
