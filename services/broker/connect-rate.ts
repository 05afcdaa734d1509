import { TokenBucket } from './token-bucket.js';

export interface ConnectRateLimits {
  /** Connects a second one address may open, on average. */
  perSecond: number;
  /** Connects it may open at once after being quiet. */
  burst: number;
}

/**
 * Connects per address, limited by a token bucket each: a connect over the rate is refused at
 * once and nothing is remembered against the address, so a script that opens one connection per
 * value (`mosquitto_pub` in a loop) or a room behind one NAT address plays on, while a storm of
 * connects from one address costs the broker little. Buckets that have filled up again are
 * forgotten, so memory stays bounded by the addresses active in the last few seconds.
 */
export class ConnectRate {
  private readonly buckets = new Map<string, TokenBucket>();
  private lastSweepMs = -Infinity;
  private readonly refillMs: number;

  constructor(
    private readonly limits: ConnectRateLimits,
    private readonly sweepAbove = 10_000,
  ) {
    this.refillMs = (limits.burst / limits.perSecond) * 1000;
  }

  /** Takes one connect for `address`; false: over its rate, refuse it. */
  admit(address: string, nowMs: number): boolean {
    if (this.buckets.size > this.sweepAbove && nowMs - this.lastSweepMs >= this.refillMs) {
      this.lastSweepMs = nowMs;
      for (const [key, bucket] of this.buckets) if (bucket.full(nowMs)) this.buckets.delete(key);
    }
    let bucket = this.buckets.get(address);
    if (!bucket) {
      bucket = new TokenBucket(this.limits.perSecond, this.limits.burst, nowMs);
      this.buckets.set(address, bucket);
    }
    return bucket.take(nowMs);
  }

  /** Addresses remembered now (for tests of the memory bound). */
  get size(): number {
    return this.buckets.size;
  }
}
