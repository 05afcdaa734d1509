import { LAST_INSTRUMENT } from '../../shared/contract/topics.js';

/**
 * A token bucket per instrument: `maxNotesPerSecond` tokens flow in each second and each note
 * takes one. The bucket holds half a second's worth, and never less than a 4-note chord, so a
 * chord passes whole and a flood is cut to the rate. 0 notes a second: no cap. Times are in the
 * caller's clock (ms), so virtual time tests it.
 */
export class NoteBudget {
  private readonly ratePerMs: Float64Array;
  private readonly burst: Float64Array;
  private readonly tokens: Float64Array;
  private readonly lastMs: Float64Array;

  constructor(maxNotesPerSecond: (instrument: number) => number) {
    const size = LAST_INSTRUMENT + 1;
    this.ratePerMs = new Float64Array(size);
    this.burst = new Float64Array(size);
    for (let n = 0; n < size; n++) {
      const rate = maxNotesPerSecond(n);
      this.ratePerMs[n] = rate / 1000;
      this.burst[n] = rate > 0 ? Math.max(MIN_BURST, rate / 2) : Number.POSITIVE_INFINITY;
    }
    this.tokens = this.burst.slice();
    this.lastMs = new Float64Array(size).fill(Number.NaN);
  }

  /** Whether `instrument` may play a note at `nowMs`; refills first, spends nothing. */
  allows(instrument: number, nowMs: number): boolean {
    const last = this.lastMs[instrument]!;
    // Refills only forward; a wall clock set back restarts the count from now, so the bucket is
    // not left empty for as long as the clock jumped.
    if (nowMs > last) {
      this.tokens[instrument] = Math.min(
        this.burst[instrument]!,
        this.tokens[instrument]! + (nowMs - last) * this.ratePerMs[instrument]!,
      );
    }
    this.lastMs[instrument] = nowMs;
    return this.tokens[instrument]! >= 1;
  }

  /** Takes the token of a note `allows` let through. */
  spend(instrument: number): void {
    this.tokens[instrument] = this.tokens[instrument]! - 1;
  }
}

/** The largest chord a phone or a script sends at once that must sound whole. */
const MIN_BURST = 4;
