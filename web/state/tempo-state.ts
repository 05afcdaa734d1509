import type { Tempo } from '../../shared/contract/contract.js';
import { readTempo } from '../../shared/contract/tempo.js';

/**
 * A message on `tempo` → the room's tempo, null for none, undefined for a payload that is not a
 * tempo (the page keeps what it had).
 */
export function tempoOf(text: string): Tempo | null | undefined {
  const reading = readTempo(text);
  return reading.ok ? reading.tempo : undefined;
}

/** Which beat it is at `nowMs` (epoch ms, the clock `since` is in), counted from `since`. */
export const beatAt = (tempo: Tempo, nowMs: number): number => Math.floor((nowMs - tempo.since) / (60_000 / tempo.bpm));
