// No node-only imports: the web page measures its own latency with this too.
/** The most recent `capacity` latency samples; percentiles are computed only when reported. */
export class LatencyWindow {
  private readonly samples: Float64Array;
  private count = 0;
  private next = 0;

  constructor(capacity = 4096) {
    this.samples = new Float64Array(capacity);
  }

  add(ms: number): void {
    this.samples[this.next] = ms;
    this.next = (this.next + 1) % this.samples.length;
    if (this.count < this.samples.length) this.count += 1;
  }

  percentiles(): { p50: number; p99: number; max: number; samples: number } | undefined {
    if (this.count === 0) return undefined;
    const sorted = this.samples.slice(0, this.count).sort();
    const at = (q: number) => round3(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
    return { p50: at(0.5), p99: at(0.99), max: round3(sorted[sorted.length - 1] ?? 0), samples: this.count };
  }
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;
