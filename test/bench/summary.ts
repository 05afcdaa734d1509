/** Latency or deviation samples (ms) reduced to the figures the report shows. */
export interface Summary {
  samples: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

export function summarise(values: ArrayLike<number>): Summary | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0);
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    samples: sorted.length,
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    p999: at(0.999),
    max: round(sorted[sorted.length - 1] ?? 0),
    mean: round(sum / sorted.length),
  };
}

export const round = (x: number, digits = 3): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/**
 * Pairs sends with arrivals by key (instrument and note), first in first out, so a lost message
 * costs one sample instead of shifting every later pairing.
 */
export class Matcher {
  private readonly pending = new Map<number, number[]>();
  readonly latencies: number[] = [];
  sent = 0;
  arrived = 0;
  unmatched = 0;
  /** Every arrival, warm-up included. */
  received = 0;

  /** Sends before this time (warm-up) are paired but not counted. */
  constructor(public countFrom = 0) {}

  sentAt(key: number, at: number): void {
    let queue = this.pending.get(key);
    if (!queue) this.pending.set(key, (queue = []));
    queue.push(at);
    if (at >= this.countFrom) this.sent += 1;
  }

  arrivedAt(key: number, at: number): void {
    this.received += 1;
    const sentAt = this.pending.get(key)?.shift();
    if (sentAt === undefined) {
      this.unmatched += 1;
      return;
    }
    if (sentAt < this.countFrom) return;
    this.arrived += 1;
    this.latencies.push(at - sentAt);
  }
}

export const noteKey = (channel: number, note: number): number => channel * 128 + note;
