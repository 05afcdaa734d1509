import type { Tempo } from '../../shared/contract/contract.js';

/** A grid step of a tempo in ms: a beat divided into `steps` (2: eighths, 4: sixteenths). */
export const stepMsOf = (tempo: Tempo): number => 60_000 / tempo.bpm / tempo.steps;

/**
 * The first grid step at or after `now` (ms, the clock `since` is in): a note arriving on a step
 * plays at once, any other waits less than one step.
 */
export function nextStep(tempo: Tempo, now: number): number {
  const step = stepMsOf(tempo);
  const due = tempo.since + Math.ceil((now - tempo.since) / step) * step;
  // Rounding can put `due` a hair before `now` (or, with a `since` far from now, anywhere):
  // never schedule into the past, nor more than a step ahead.
  return due < now ? now : Math.min(due, now + step);
}

/** Whether a tempo quantises at all: bpm 0 is the room without one. */
export const isOn = (tempo: Tempo | null | undefined): tempo is Tempo => tempo != null && tempo.bpm > 0;
