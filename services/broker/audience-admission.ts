import { TokenBucket } from './token-bucket.js';

/** One audience connection's share of the room: kept by the caller with the client's state. */
export interface Share {
  /** The second (floor of ms / 1000) it last offered a value in, and how many it offered then. */
  second: number;
  offered: number;
  tokens: number;
  lastMs: number;
}

/** What the room did with audience values since the broker started; published on `stats/broker`. */
export interface AdmissionCounts {
  /** Values a second the whole audience may play (AUDIENCE_BUDGET). */
  budget: number;
  offered: number;
  admitted: number;
  /** Dropped at the door because the room was over its budget: never queued. */
  shed: number;
  /** Each active client's share in the last full second, values a second (null: no limit). */
  fairShare: number | null;
  /** Audience clients that offered a value in the last full second. */
  activeClients: number;
  /** Percent of the values offered in the last full second that were shed. */
  shedPercent: number;
}

/** A client may save up this many seconds of its fair share, and at least this many values. */
const SHARE_BURST_SECONDS = 1;
const SHARE_BURST_MIN = 2;
/** The room as a whole may run this many seconds of its budget ahead. */
const ROOM_BURST_SECONDS = 0.5;
/**
 * The clients' shares add up to this part of the budget: the room's own bucket, the hard cap,
 * then rarely refuses a value a share allows (which would favour whoever comes first).
 */
const SHARED_PART = 0.9;

/**
 * Admission control for the whole audience: at most `budget` values a second get past the door,
 * shared fairly. Once a second it computes each client's fair share by water-filling over what
 * each active client offered in the second before (clients that want less than an equal share
 * keep all of theirs; the rest share what is left equally); each client then spends its share
 * from a token bucket of its own. A room bucket of the whole budget is the hard cap. What is not
 * admitted is shed at once and counted: a late note is worse than a missing one.
 *
 * Time comes in as an argument (milliseconds), so it is tested without waiting.
 */
export class AudienceAdmission {
  private readonly room: TokenBucket;
  private second = Number.NEGATIVE_INFINITY;
  private active: Share[] = [];
  private fairRate = Number.POSITIVE_INFINITY;
  private lastSecond = { offered: 0, shed: 0, clients: 0 };
  private thisSecond = { offered: 0, shed: 0 };
  private readonly totals = { offered: 0, admitted: 0, shed: 0 };

  constructor(
    private readonly budget: number,
    nowMs: number,
  ) {
    this.room = new TokenBucket(budget, Math.max(1, budget * ROOM_BURST_SECONDS), nowMs);
  }

  newShare(nowMs: number): Share {
    return { second: Number.NEGATIVE_INFINITY, offered: 0, tokens: SHARE_BURST_MIN, lastMs: nowMs };
  }

  /** One value offered by the client holding `share`: true if it may play, false if shed. */
  admit(share: Share, nowMs: number): boolean {
    const second = Math.floor(nowMs / 1000);
    if (second !== this.second) this.nextSecond(second);
    if (share.second !== second) {
      share.second = second;
      share.offered = 0;
      this.active.push(share);
    }
    share.offered += 1;
    this.totals.offered += 1;
    this.thisSecond.offered += 1;
    // The client's share is spent only when the room takes the value too: a share whose value the
    // room refused is kept for the client's next one.
    const admitted = this.hasShare(share, nowMs) && this.room.take(nowMs);
    if (admitted) {
      share.tokens -= 1;
      this.totals.admitted += 1;
    } else {
      this.totals.shed += 1;
      this.thisSecond.shed += 1;
    }
    return admitted;
  }

  counts(): AdmissionCounts {
    const { offered, shed, clients } = this.lastSecond;
    return {
      budget: this.budget,
      ...this.totals,
      fairShare: Number.isFinite(this.fairRate) ? Math.round(this.fairRate * 100) / 100 : null,
      activeClients: clients,
      shedPercent: offered > 0 ? Math.round((shed / offered) * 1000) / 10 : 0,
    };
  }

  /** Refills the client's share for the time gone by; true if it holds a value's worth. */
  private hasShare(share: Share, nowMs: number): boolean {
    if (!Number.isFinite(this.fairRate)) {
      share.tokens = SHARE_BURST_MIN;
    } else {
      const burst = Math.max(SHARE_BURST_MIN, this.fairRate * SHARE_BURST_SECONDS);
      share.tokens = Math.min(burst, share.tokens + (Math.max(0, nowMs - share.lastMs) * this.fairRate) / 1000);
    }
    share.lastMs = nowMs;
    return share.tokens >= 1;
  }

  private nextSecond(second: number): void {
    // Demands are known only for a second that just ended; after a gap the room starts unlimited.
    const follows = second === this.second + 1;
    const demands = follows ? this.active.map((s) => s.offered) : [];
    this.fairRate = fairShare(this.budget * SHARED_PART, demands);
    this.lastSecond = follows ? { ...this.thisSecond, clients: demands.length } : { offered: 0, shed: 0, clients: 0 };
    this.thisSecond = { offered: 0, shed: 0 };
    this.active = [];
    this.second = second;
  }
}

/**
 * Max-min fair share of `budget` among clients wanting `demands` (water-filling): Infinity when
 * the budget covers every demand, otherwise the rate each client above it is held to.
 */
export function fairShare(budget: number, demands: readonly number[]): number {
  const total = demands.reduce((sum, d) => sum + d, 0);
  if (total <= budget) return Number.POSITIVE_INFINITY;
  const sorted = [...demands].sort((a, b) => a - b);
  let left = budget;
  let clients = sorted.length;
  for (const demand of sorted) {
    if (demand > left / clients) break;
    left -= demand;
    clients -= 1;
  }
  return left / clients;
}
