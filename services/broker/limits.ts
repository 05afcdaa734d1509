import { z } from 'zod';
import type { ConnectRateLimits } from './connect-rate.js';
import type { FlappingLimits } from './flapping.js';
import type { RateLimits } from './publish-rate.js';

/** Every limit the embedded broker enforces; defaults are in `defaultLimits` and docs/services/broker.md. */
export interface BrokerLimits {
  maxConnections: number;
  audienceRate: RateLimits;
  flapping: FlappingLimits;
  /** Connects per address: over the rate a connect is refused at once, never banned. */
  connectRate: ConnectRateLimits;
  /** Audience values a second the broker lets through to the mapper, shared fairly. */
  audienceBudget: number;
  audienceMaxPacketBytes: number;
  serviceMaxPacketBytes: number;
  audienceMaxPayloadBytes: number;
  /** Subscription filters one audience client may hold; more are refused (SUBACK 0x80). */
  audienceMaxSubscriptions: number;
  /** An audience client's packets other than PUBLISH and acknowledgements: over it, closed. */
  audienceControlRate: ConnectRateLimits;
  maxClientIdLength: number;
  maxKeepaliveSeconds: number;
  errorReportsPerSecond: number;
  /** QoS 1 messages held for a persistent session (a mapper or synth that is away) at most. */
  maxQueuedPerSession: number;
}

export const defaultLimits: BrokerLimits = {
  maxConnections: 10_000,
  audienceRate: { ratePerSecond: 20, burst: 40, disconnectFactor: 5, disconnectAfterSeconds: 3 },
  flapping: { maxConnects: 15, windowMs: 60_000, banMs: 60_000 },
  connectRate: { perSecond: 10, burst: 30 },
  audienceBudget: 300,
  audienceMaxPacketBytes: 256,
  serviceMaxPacketBytes: 64 * 1024,
  audienceMaxPayloadBytes: 16,
  audienceMaxSubscriptions: 16,
  audienceControlRate: { perSecond: 5, burst: 30 },
  maxClientIdLength: 128,
  maxKeepaliveSeconds: 600,
  errorReportsPerSecond: 5,
  maxQueuedPerSession: 1_000,
};

const positive = (fallback: number) => z.coerce.number().positive().default(fallback);
const count = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** The limits as environment variables (all optional). */
export const limitsEnv = z.object({
  MAX_CONNECTIONS: count(defaultLimits.maxConnections),
  AUDIENCE_RATE: positive(defaultLimits.audienceRate.ratePerSecond),
  AUDIENCE_BURST: count(defaultLimits.audienceRate.burst),
  RATE_DISCONNECT_FACTOR: positive(defaultLimits.audienceRate.disconnectFactor),
  RATE_DISCONNECT_SECONDS: count(defaultLimits.audienceRate.disconnectAfterSeconds),
  FLAPPING_MAX_CONNECTS: count(defaultLimits.flapping.maxConnects),
  FLAPPING_WINDOW_S: positive(defaultLimits.flapping.windowMs / 1000),
  FLAPPING_BAN_S: positive(defaultLimits.flapping.banMs / 1000),
  CONNECT_RATE: positive(defaultLimits.connectRate.perSecond),
  CONNECT_BURST: count(defaultLimits.connectRate.burst),
  AUDIENCE_BUDGET: positive(defaultLimits.audienceBudget),
  AUDIENCE_MAX_PACKET: count(defaultLimits.audienceMaxPacketBytes),
  SERVICE_MAX_PACKET: count(defaultLimits.serviceMaxPacketBytes),
  AUDIENCE_MAX_PAYLOAD: count(defaultLimits.audienceMaxPayloadBytes),
  AUDIENCE_MAX_SUBSCRIPTIONS: count(defaultLimits.audienceMaxSubscriptions),
  AUDIENCE_CONTROL_RATE: positive(defaultLimits.audienceControlRate.perSecond),
  AUDIENCE_CONTROL_BURST: count(defaultLimits.audienceControlRate.burst),
  MAX_CLIENT_ID_LENGTH: count(defaultLimits.maxClientIdLength),
  MAX_KEEPALIVE_S: count(defaultLimits.maxKeepaliveSeconds),
  ERROR_REPORTS_PER_S: positive(defaultLimits.errorReportsPerSecond),
  MAX_QUEUED_PER_SESSION: count(defaultLimits.maxQueuedPerSession),
});

export function limitsFrom(env: z.infer<typeof limitsEnv>): BrokerLimits {
  return {
    maxConnections: env.MAX_CONNECTIONS,
    audienceRate: {
      ratePerSecond: env.AUDIENCE_RATE,
      burst: env.AUDIENCE_BURST,
      disconnectFactor: env.RATE_DISCONNECT_FACTOR,
      disconnectAfterSeconds: env.RATE_DISCONNECT_SECONDS,
    },
    flapping: {
      maxConnects: env.FLAPPING_MAX_CONNECTS,
      windowMs: env.FLAPPING_WINDOW_S * 1000,
      banMs: env.FLAPPING_BAN_S * 1000,
    },
    connectRate: { perSecond: env.CONNECT_RATE, burst: env.CONNECT_BURST },
    audienceBudget: env.AUDIENCE_BUDGET,
    audienceMaxPacketBytes: env.AUDIENCE_MAX_PACKET,
    serviceMaxPacketBytes: env.SERVICE_MAX_PACKET,
    audienceMaxPayloadBytes: env.AUDIENCE_MAX_PAYLOAD,
    audienceMaxSubscriptions: env.AUDIENCE_MAX_SUBSCRIPTIONS,
    audienceControlRate: { perSecond: env.AUDIENCE_CONTROL_RATE, burst: env.AUDIENCE_CONTROL_BURST },
    maxClientIdLength: env.MAX_CLIENT_ID_LENGTH,
    maxKeepaliveSeconds: env.MAX_KEEPALIVE_S,
    errorReportsPerSecond: env.ERROR_REPORTS_PER_S,
    maxQueuedPerSession: env.MAX_QUEUED_PER_SESSION,
  };
}
