import { Observable, type OperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';
import type { Tempo } from '../../shared/contract/contract.js';
import type { DroppedOutput, NoteOutput, RejectionOutput } from './mapper-output.js';
import { isOn, nextStep } from './tempo-grid.js';

/** What reaches the grid: notes, and what passes at once. */
type Item = NoteOutput | RejectionOutput | DroppedOutput;

/** Notes waiting for their step, over all instruments, before a new one is dropped instead. */
export const DEFAULT_MAX_WAITING = 256;

/**
 * A room in time: while `tempo$` holds a tempo, each AUDIENCE note waits for the next grid step
 * (less than one step; a note on a step plays at once) and goes out with `dueAt` = its step, in
 * `receivedAt`'s clock, so with a tempo every audience note says when it was due. Performer
 * notes, rejections and drops pass at once, as without a tempo.
 *
 * The notes due at one step go out together from one scheduled action; a timer that fires late
 * sends them late, never moves them to another step, so a note waits at most one step plus the
 * timer's lateness. The same note of an instrument waits once per step: again, it is dropped
 * (reason `retrigger`). At most `maxWaiting` notes wait: one more is dropped (reason `queue-full`)
 * and counted. On completion of the source, the waiting notes still go out at their step.
 */
export const quantiseAudience =
  (
    tempo$: Observable<Tempo | null>,
    scheduler: SchedulerLike,
    maxWaiting = DEFAULT_MAX_WAITING,
  ): OperatorFunction<Item, Item> =>
  (source) =>
    new Observable<Item>((subscriber) => {
      let tempo: Tempo | null = null;
      let waiting = 0;
      let sourceDone = false;
      /** Notes by the step (scheduler ms) they are due at; one scheduled send per step. */
      const byStep = new Map<number, NoteOutput[]>();
      const sends = new Set<Subscription>();

      const finishIfDone = () => {
        if (sourceDone && waiting === 0) subscriber.complete();
      };
      const send = (step: number) => {
        const notes = byStep.get(step) ?? [];
        byStep.delete(step);
        waiting -= notes.length;
        for (const note of notes) subscriber.next(note);
        finishIfDone();
      };

      const tempoSubscription = tempo$.subscribe({
        next: (t) => (tempo = isOn(t) ? t : null),
        error: (error: unknown) => subscriber.error(error),
      });
      const sourceSubscription = source.subscribe({
        next: (out) => {
          if (out.kind !== 'note' || out.event.source !== 'audience' || tempo === null) {
            subscriber.next(out);
            return;
          }
          const now = scheduler.now();
          const step = nextStep(tempo, now);
          const event = { ...out.event, dueAt: out.event.receivedAt + (step - now) };
          // On a step: at once, unless notes wait for this very step (then after them, in order).
          if (step === now && !byStep.has(step)) {
            subscriber.next({ kind: 'note', event });
            return;
          }
          if (waiting >= maxWaiting) {
            subscriber.next(queueFull(out.event.instrument));
            return;
          }
          const atStep = byStep.get(step);
          // Notes that wait sound together at their step: the same note twice there is one note
          // played twice at once, whatever the retrigger rule saw on arrival.
          if (atStep?.some((w) => w.event.instrument === event.instrument && w.event.note === event.note)) {
            subscriber.next(retriggered(event.instrument));
            return;
          }
          waiting += 1;
          if (atStep) {
            atStep.push({ kind: 'note', event });
            return;
          }
          byStep.set(step, [{ kind: 'note', event }]);
          const action = scheduler.schedule(() => {
            sends.delete(action);
            send(step);
          }, step - now);
          sends.add(action);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          sourceDone = true;
          finishIfDone();
        },
      });
      return () => {
        sourceSubscription.unsubscribe();
        tempoSubscription.unsubscribe();
        for (const action of sends) action.unsubscribe();
      };
    });

const queueFull = (instrument: number): DroppedOutput => ({ kind: 'dropped', instrument, reason: 'queue-full' });
const retriggered = (instrument: number): DroppedOutput => ({ kind: 'dropped', instrument, reason: 'retrigger' });
