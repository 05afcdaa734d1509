/**
 * What the broker's audience connections hold unsent (bytes handed to a socket that its client has
 * not taken yet), held to one total for the whole broker and to a time limit: a crowd of clients
 * that subscribe and never read would otherwise each hold up to its own bound (`MAX_CONNECTIONS`
 * × `AUDIENCE_MAX_BUFFERED` = 2.5 GiB outside the V8 heap), and a client in a quiet room would
 * hold what it has forever.
 *
 * Plain accounting: each holder's bytes as last read from its socket (`set`, on every write and
 * every write's completion; an upper bound between the two) and since when it has held any. Only
 * holders with bytes unsent are kept. Who is closed, and how, is the caller's (guarded-connection.ts).
 */
export class UnsentBudget<H> {
  private readonly holding = new Map<H, { bytes: number; since: number }>();
  private sum = 0;
  private most = 0;

  constructor(
    /** The most all holders together may hold, in bytes. */
    readonly maxTotal: number,
    /** How long a holder may go on holding unsent bytes, without ever having none, in milliseconds. */
    readonly drainTimeoutMs: number,
    /** Milliseconds; read only when a holder starts holding and when asked who is stuck. */
    private readonly now: () => number,
  ) {}

  /** Bytes unsent now, all holders together. */
  get total(): number {
    return this.sum;
  }

  /** The most `total` has been. */
  get peak(): number {
    return this.most;
  }

  /** How many hold unsent bytes now. */
  get holders(): number {
    return this.holding.size;
  }

  held(holder: H): number {
    return this.holding.get(holder)?.bytes ?? 0;
  }

  /** `holder`'s unsent bytes now (its socket's count); 0 releases it. */
  set(holder: H, bytes: number): void {
    const entry = this.holding.get(holder);
    if (bytes <= 0) {
      if (!entry) return;
      this.sum -= entry.bytes;
      this.holding.delete(holder);
      return;
    }
    if (entry) {
      this.sum += bytes - entry.bytes;
      entry.bytes = bytes;
    } else {
      this.sum += bytes;
      this.holding.set(holder, { bytes, since: this.now() });
    }
    if (this.sum > this.most) this.most = this.sum;
  }

  /** `holder` is gone (closed, destroyed): its share is free. */
  release(holder: H): void {
    this.set(holder, 0);
  }

  /**
   * Whether `holder` may hold `bytes` (what it holds now and what it is about to be given) within
   * the total: undefined if so; otherwise who to close to make room, the one holding the most,
   * `holder` counted with `bytes` (on a tie, `holder` itself). Close it, release it, and ask again.
   */
  over(holder: H, bytes: number): H | undefined {
    if (this.sum - this.held(holder) + bytes <= this.maxTotal) return undefined;
    let biggest = holder;
    let most = bytes;
    for (const [other, entry] of this.holding) {
      if (other !== holder && entry.bytes > most) {
        biggest = other;
        most = entry.bytes;
      }
    }
    return biggest;
  }

  /** Whether `holder` has held unsent bytes, never fewer than one, for longer than the drain timeout. */
  stuck(holder: H): boolean {
    const entry = this.holding.get(holder);
    return entry !== undefined && this.now() - entry.since > this.drainTimeoutMs;
  }

  /** Every holder stuck now (for a coarse timer: one for the whole broker). */
  allStuck(): H[] {
    if (this.holding.size === 0) return [];
    const before = this.now() - this.drainTimeoutMs;
    const stuck: H[] = [];
    for (const [holder, entry] of this.holding) if (entry.since < before) stuck.push(holder);
    return stuck;
  }
}
