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
  /** Bytes an audience connection may hold unsent (a phone that stops reading); over it, closed. */
  audienceMaxBufferedBytes: number;
  /** Bytes all audience connections together may hold unsent; over it, the one holding the most is closed. */
  audienceMaxBufferedTotalBytes: number;
  /** How long an audience connection may hold bytes unsent without its socket ever emptying; then closed. */
  audienceDrainTimeoutMs: number;
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
  audienceMaxBufferedBytes: 256 * 1024,
  audienceMaxBufferedTotalBytes: 64 * 1024 * 1024,
  audienceDrainTimeoutMs: 10_000,
};

const positive = (fallback: number) => z.coerce.number().positive().default(fallback);
const count = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/**
 * The limits as environment variables (all optional), each described once: `--help`,
 * docs/services/broker.md and `.env.example` are made from these descriptions.
 */
export const limitsEnv = z.object({
  AUDIENCE_RATE: positive(defaultLimits.audienceRate.ratePerSecond).describe(
    "an audience client's values a second (token bucket); the excess is dropped, counted (rateDropped) and reported",
  ),
  AUDIENCE_BURST: count(defaultLimits.audienceRate.burst).describe('the burst of that bucket, in values'),
  RATE_DISCONNECT_FACTOR: positive(defaultLimits.audienceRate.disconnectFactor).describe(
    'a client sending over this many times its rate for RATE_DISCONNECT_SECONDS in a row is disconnected (rateDisconnected)',
  ),
  RATE_DISCONNECT_SECONDS: count(defaultLimits.audienceRate.disconnectAfterSeconds).describe(
    'how many seconds in a row over RATE_DISCONNECT_FACTOR × the rate before that',
  ),
  AUDIENCE_BUDGET: positive(defaultLimits.audienceBudget).describe(
    "the whole audience's values a second let through to the mapper, shared max-min fairly; the rest are shed at the door and counted (room)",
  ),
  CONNECT_RATE: positive(defaultLimits.connectRate.perSecond).describe(
    'connects a second per address (token bucket); one over it is refused at once (connectRefused.connectRate), nothing held against the address',
  ),
  CONNECT_BURST: count(defaultLimits.connectRate.burst).describe('the burst of that bucket, in connects'),
  FLAPPING_MAX_CONNECTS: count(defaultLimits.flapping.maxConnects).describe(
    'connects by one client id (never by address) within FLAPPING_WINDOW_S before that id is refused for FLAPPING_BAN_S; services are never banned',
  ),
  FLAPPING_WINDOW_S: positive(defaultLimits.flapping.windowMs / 1000).describe('the window of that count, in seconds'),
  FLAPPING_BAN_S: positive(defaultLimits.flapping.banMs / 1000).describe(
    'how long a flapping client id is refused, in seconds',
  ),
  MAX_CONNECTIONS: count(defaultLimits.maxConnections).describe(
    'connections per listener, at the socket and at CONNECT ("Server unavailable")',
  ),
  AUDIENCE_MAX_PACKET: count(defaultLimits.audienceMaxPacketBytes).describe(
    "an audience client's largest MQTT packet, in bytes (from the fixed header, before the body is read); over it the connection is closed (oversizeClosed)",
  ),
  SERVICE_MAX_PACKET: count(defaultLimits.serviceMaxPacketBytes).describe(
    "a service's largest MQTT packet and WebSocket frame, in bytes",
  ),
  AUDIENCE_MAX_PAYLOAD: count(defaultLimits.audienceMaxPayloadBytes).describe(
    'the largest audience payload, in bytes; a larger one is refused and the client stays connected',
  ),
  AUDIENCE_MAX_SUBSCRIPTIONS: count(defaultLimits.audienceMaxSubscriptions).describe(
    'subscription filters one audience client may hold; more get SUBACK 0x80 (subscribeRefused)',
  ),
  AUDIENCE_CONTROL_RATE: positive(defaultLimits.audienceControlRate.perSecond).describe(
    "an audience client's packets a second other than PUBLISH and PUBACK (token bucket); over it the connection is closed (controlRateClosed)",
  ),
  AUDIENCE_CONTROL_BURST: count(defaultLimits.audienceControlRate.burst).describe(
    'the burst of that bucket, in packets (a page sends about 8 at start)',
  ),
  MAX_CLIENT_ID_LENGTH: count(defaultLimits.maxClientIdLength).describe(
    'the longest client id, in characters; longer ones are refused ("Identifier rejected")',
  ),
  MAX_KEEPALIVE_S: count(defaultLimits.maxKeepaliveSeconds).describe(
    'the longest keepalive, in seconds; 0 (none) or longer is refused',
  ),
  ERROR_REPORTS_PER_S: positive(defaultLimits.errorReportsPerSecond).describe(
    'refusal reports a second on errors; the rest are counted (errorReportsSuppressed)',
  ),
  MAX_QUEUED_PER_SESSION: count(defaultLimits.maxQueuedPerSession).describe(
    'QoS 1 messages kept for a persistent session (mapper, synth) while its client is away; more are dropped and counted (queueDropped)',
  ),
  AUDIENCE_MAX_BUFFERED: count(defaultLimits.audienceMaxBufferedBytes).describe(
    "bytes waiting to be sent to one audience client (one that stops reading) before its connection is closed (slowSubscriberClosed); the broker never waits for an audience client's socket, so nobody else's messages wait for it",
  ),
  AUDIENCE_MAX_BUFFERED_TOTAL: count(defaultLimits.audienceMaxBufferedTotalBytes).describe(
    'bytes waiting to be sent to all audience clients together; a write that would pass it closes the connection holding the most (slowSubscriberClosed)',
  ),
  AUDIENCE_DRAIN_TIMEOUT_MS: count(defaultLimits.audienceDrainTimeoutMs).describe(
    "how long an audience client's socket may go without ever being empty (bytes waiting that it does not read, even in a quiet room) before its connection is closed (slowSubscriberClosed)",
  ),
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
    audienceMaxBufferedBytes: env.AUDIENCE_MAX_BUFFERED,
    audienceMaxBufferedTotalBytes: env.AUDIENCE_MAX_BUFFERED_TOTAL,
    audienceDrainTimeoutMs: env.AUDIENCE_DRAIN_TIMEOUT_MS,
  };
}
