import { LAST_INSTRUMENT } from '../../shared/contract/topics.js';

const NOTES = 128;

/**
 * When each instrument last played each MIDI note, to drop the same note again within the
 * instrument's `retriggerMs` (a bounce, a flood) while other notes, a chord's, pass. Times are in
 * the caller's clock (ms).
 */
export class RetriggerGuard {
  private readonly retriggerMs: Float64Array;
  private readonly lastPlayedAt = new Float64Array((LAST_INSTRUMENT + 1) * NOTES).fill(Number.NEGATIVE_INFINITY);

  constructor(retriggerMs: (instrument: number) => number) {
    this.retriggerMs = Float64Array.from({ length: LAST_INSTRUMENT + 1 }, (_, n) => retriggerMs(n));
  }

  tooSoon(instrument: number, note: number, nowMs: number): boolean {
    const elapsed = nowMs - this.lastPlayedAt[instrument * NOTES + note]!;
    // elapsed < 0: the wall clock went back; play rather than drop for as long as it jumped.
    return elapsed >= 0 && elapsed < this.retriggerMs[instrument]!;
  }

  played(instrument: number, note: number, nowMs: number): void {
    this.lastPlayedAt[instrument * NOTES + note] = nowMs;
  }
}
