export interface FlappingLimits {
  /** More connects than this within `windowMs`, by one client id or one address, is flapping. */
  maxConnects: number;
  windowMs: number;
  /** How long a flapping client id or address is refused. */
  banMs: number;
}

/**
 * Refuses clients that connect again and again (EMQX's flapping detection): a client id or an
 * address with more than `maxConnects` connects in `windowMs` is refused for `banMs`.
 * Memory stays bounded: old entries are swept when the table grows.
 */
export class FlappingGuard {
  private readonly connects = new Map<string, number[]>();
  private readonly bannedUntil = new Map<string, number>();
  private lastSweepMs = -Infinity;

  constructor(
    private readonly limits: FlappingLimits,
    private readonly sweepAbove = 10_000,
  ) {}

  /** Records a connect attempt; returns the reason it is refused, or undefined. */
  connect(keys: readonly string[], nowMs: number): string | undefined {
    // At most one full pass per window: with a crowd above the threshold, sweeping on every
    // connect made each connect cost a pass over every client seen.
    if (
      this.connects.size + this.bannedUntil.size > this.sweepAbove &&
      nowMs - this.lastSweepMs >= this.limits.windowMs
    ) {
      this.lastSweepMs = nowMs;
      this.sweep(nowMs);
    }
    for (const key of keys) {
      const until = this.bannedUntil.get(key);
      if (until !== undefined && until > nowMs)
        return `${key} is refused for flapping for ${Math.ceil((until - nowMs) / 1000)} s more`;
    }
    let refused: string | undefined;
    for (const key of keys) {
      const recent = (this.connects.get(key) ?? []).filter((t) => t > nowMs - this.limits.windowMs);
      recent.push(nowMs);
      this.connects.set(key, recent);
      if (recent.length > this.limits.maxConnects) {
        this.bannedUntil.set(key, nowMs + this.limits.banMs);
        this.connects.delete(key);
        refused ??= `${key} connected more than ${this.limits.maxConnects} times in ${this.limits.windowMs / 1000} s: refused for ${this.limits.banMs / 1000} s`;
      }
    }
    return refused;
  }

  private sweep(nowMs: number): void {
    for (const [key, times] of this.connects) {
      if ((times.at(-1) ?? 0) <= nowMs - this.limits.windowMs) this.connects.delete(key);
    }
    for (const [key, until] of this.bannedUntil) if (until <= nowMs) this.bannedUntil.delete(key);
  }
}
