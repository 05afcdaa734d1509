import type { Aedes } from 'aedes';
import type { Topics } from '../../shared/contract/topics.js';
import { rejectionOf } from '../../shared/contract/contract.js';
import { epochNow } from '../../shared/contract/clock.js';
import { TokenBucket } from './token-bucket.js';

/** What the broker refused or dropped, by kind; published on `stats/broker`. */
export interface BrokerCounters {
  /** Publishes from clients (the broker's own status and reports not included). */
  publishes: number;
  publishRefused: number;
  subscribeRefused: number;
  rateDropped: number;
  rateDisconnected: number;
  connectRefused: {
    connectRate: number;
    flapping: number;
    full: number;
    clientId: number;
    reservedId: number;
    password: number;
  };
  oversizeClosed: number;
  /** Audience connections closed for sending control packets (SUBSCRIBE, PINGREQ, …) over their rate. */
  controlRateClosed: number;
  /**
   * Audience connections closed for not reading: over AUDIENCE_MAX_BUFFERED bytes unsent, the
   * most unsent when the audience's total passed AUDIENCE_MAX_BUFFERED_TOTAL, or bytes unsent for
   * over AUDIENCE_DRAIN_TIMEOUT_MS.
   */
  slowSubscriberClosed: number;
  /** Not a count: bytes waiting to be sent to the audience now, all connections together. */
  readonly unsentBytes: number;
  /** Not a count: the most `unsentBytes` has been. */
  readonly unsentBytesPeak: number;
  /** PUBLISH packets sent in the same write as the CONNECT, before the role was known: dropped. */
  earlyPublishDropped: number;
  /** Connections closed on a protocol error (malformed packet, broken stream, far over rate). */
  connectionErrors: number;
  /** Instrument values and note events that arrived while no service was subscribed to them. */
  unheard: number;
  /** Not queued for a persistent session whose client was away: it already held the most allowed. */
  queueDropped: number;
  /**
   * Held for persistent sessions when the broker closed (queued, or sent and not yet
   * acknowledged): at most this many were lost with it.
   */
  unacknowledgedAtClose: number;
  errorReportsSuppressed: number;
}

/** `unsent`: the broker's unsent audience bytes, read whenever the counters are (unsent-budget.ts). */
export const emptyCounters = (unsent: { total: number; peak: number } = { total: 0, peak: 0 }): BrokerCounters => ({
  publishes: 0,
  publishRefused: 0,
  subscribeRefused: 0,
  rateDropped: 0,
  rateDisconnected: 0,
  connectRefused: { connectRate: 0, flapping: 0, full: 0, clientId: 0, reservedId: 0, password: 0 },
  oversizeClosed: 0,
  controlRateClosed: 0,
  slowSubscriberClosed: 0,
  get unsentBytes() {
    return unsent.total;
  },
  get unsentBytesPeak() {
    return unsent.peak;
  },
  earlyPublishDropped: 0,
  connectionErrors: 0,
  unheard: 0,
  queueDropped: 0,
  unacknowledgedAtClose: 0,
  errorReportsSuppressed: 0,
});

export interface Refusal {
  clientId: string;
  topic: string;
  /** As it came: copied only if the report is not suppressed. */
  payload?: Uint8Array | string;
  reason: string;
}

/**
 * Reports refusals on `errors` as `{service: "broker", clientId, topic, payload, reason, at}` (the
 * client id as a salted tag, never the id itself), at
 * most `perSecond` a second (a flood of refusals must not become a flood of reports).
 */
export class RefusalReporter {
  private readonly bucket: TokenBucket;

  constructor(
    private readonly topics: Topics,
    private readonly counters: BrokerCounters,
    perSecond: number,
    /** Turns a client id into the short tag published in its place (client-tag.ts). */
    private readonly tag: (clientId: string) => string,
  ) {
    this.bucket = new TokenBucket(perSecond, Math.max(1, Math.ceil(perSecond)), performance.now());
  }

  report(broker: Aedes, refusal: Refusal): void {
    if (!this.bucket.take(performance.now())) {
      this.counters.errorReportsSuppressed += 1;
      return;
    }
    const rejection = rejectionOf(
      { service: 'broker', ...refusal, clientId: this.tag(refusal.clientId), payload: refusal.payload ?? '' },
      epochNow(),
    );
    broker.publish(
      {
        cmd: 'publish',
        topic: this.topics.errors,
        payload: Buffer.from(JSON.stringify(rejection)),
        qos: 0,
        retain: false,
        dup: false,
      },
      () => {},
    );
  }
}
