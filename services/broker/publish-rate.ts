import { TokenBucket } from './token-bucket.js';

export interface RateLimits {
  /** Messages a second an audience client may publish, on average. */
  ratePerSecond: number;
  /** Messages it may send at once after being quiet. */
  burst: number;
  /** A second in which a client sends more than `disconnectFactor` × its rate is "far over". */
  disconnectFactor: number;
  /** This many far-over seconds in a row and the client is disconnected. */
  disconnectAfterSeconds: number;
}

export type RateVerdict = 'ok' | 'drop' | 'disconnect';

/**
 * One client's publish rate: a token bucket decides what is delivered; a count per wall-clock
 * second decides when a client is so far over for so long that it is thrown out.
 */
export class PublishRate {
  private readonly bucket: TokenBucket;
  private second = -1;
  private sentThisSecond = 0;
  private farOverSeconds = 0;

  constructor(
    private readonly limits: RateLimits,
    nowMs: number,
  ) {
    this.bucket = new TokenBucket(limits.ratePerSecond, limits.burst, nowMs);
  }

  check(nowMs: number): RateVerdict {
    const second = Math.floor(nowMs / 1000);
    if (second !== this.second) {
      const farOver = this.sentThisSecond > this.limits.ratePerSecond * this.limits.disconnectFactor;
      // A quiet gap of a second or more breaks the run of far-over seconds.
      this.farOverSeconds = farOver && second === this.second + 1 ? this.farOverSeconds + 1 : 0;
      this.second = second;
      this.sentThisSecond = 0;
    }
    this.sentThisSecond += 1;
    if (this.farOverSeconds >= this.limits.disconnectAfterSeconds) return 'disconnect';
    return this.bucket.take(nowMs) ? 'ok' : 'drop';
  }
}
