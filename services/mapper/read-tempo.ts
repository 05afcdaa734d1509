import { decodeJson, type Tempo } from '../../shared/contract/contract.js';
import type { IncomingMessage } from '../../shared/runtime/service.js';

export type TempoReading = { ok: true; tempo: Tempo | null } | { ok: false; reason: string };

/**
 * A message on `tempo` → the room's tempo, null for none (bpm 0, or the empty payload that
 * clears the retained one), or the reason it is not a tempo.
 */
export function readTempo(m: IncomingMessage): TempoReading {
  if (m.payload.length === 0) return { ok: true, tempo: null };
  const decoded = decodeJson('tempo', m.payload);
  if (!decoded.ok) {
    return {
      ok: false,
      reason: `${decoded.reason} (send {"bpm": 20-300 or 0 for none, "steps": 2 or 4, "since": epoch ms of a beat})`,
    };
  }
  return { ok: true, tempo: decoded.value.bpm > 0 ? decoded.value : null };
}
