import { decodeJson, type Tempo } from './contract.js';

export type TempoReading = { ok: true; tempo: Tempo | null } | { ok: false; reason: string };

/**
 * A payload on `tempo` → the room's tempo, null for none (bpm 0, or the empty payload that
 * clears the retained one), or the reason it is not a tempo. The mapper and the page read it alike.
 */
export function readTempo(payload: Uint8Array | string): TempoReading {
  if (payload.length === 0) return { ok: true, tempo: null };
  const decoded = decodeJson('tempo', payload);
  if (!decoded.ok) {
    return {
      ok: false,
      reason: `${decoded.reason} (send {"bpm": 20-300 or 0 for none, "steps": 2 or 4, "since": epoch ms of a beat})`,
    };
  }
  return { ok: true, tempo: decoded.value.bpm > 0 ? decoded.value : null };
}
