import { decodeJson, type Tempo } from '../../shared/contract/contract.js';

/**
 * A message on `tempo` → the room's tempo, null for none (bpm 0, or the empty payload that clears
 * the retained one), undefined for a payload that is not a tempo (the page keeps what it had).
 */
export function tempoOf(text: string): Tempo | null | undefined {
  if (text === '') return null;
  const decoded = decodeJson('tempo', text);
  if (!decoded.ok) return undefined;
  return decoded.value.bpm > 0 ? decoded.value : null;
}

/** Which beat it is at `nowMs` (epoch ms, the clock `since` is in), counted from `since`. */
export const beatAt = (tempo: Tempo, nowMs: number): number => Math.floor((nowMs - tempo.since) / (60_000 / tempo.bpm));
