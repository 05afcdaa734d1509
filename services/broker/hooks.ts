import { timingSafeEqual } from 'node:crypto';
import type { Aedes, AedesOptions, AuthenticateError, Client } from 'aedes';
import { DEFAULT_PREFIX, makeTopics, type Topics } from '../../shared/contract/topics.js';
import { AudienceAdmission, type AdmissionCounts, type Share } from './audience-admission.js';
import { clientTagger } from './client-tag.js';
import { ConnectRate } from './connect-rate.js';
import { FlappingGuard } from './flapping.js';
import { defaultLimits, type BrokerLimits } from './limits.js';
import { PublishRate } from './publish-rate.js';
import type { GuardedConnection } from './guarded-connection.js';
import { emptyCounters, RefusalReporter, type BrokerCounters } from './refusals.js';
import { deliverable, publishVerdict, subscribeVerdict, type Role } from './roles.js';
import type { PacketHeader, PacketVerdict } from './packet-gate.js';
import { ReservedIds } from './reserved-ids.js';
import { ServiceListeners } from './service-listeners.js';
import { TokenBucket } from './token-bucket.js';
import { UnsentBudget } from './unsent-budget.js';

/**
 * Every decision the broker takes about a client, in one place, as plain overridable functions
 * (aedes hooks). The rules themselves live one concern per file: roles.ts (who may publish and
 * subscribe where), publish-rate.ts (token bucket), connect-rate.ts (connects per address),
 * flapping.ts (reconnect storms by one client id), audience-admission.ts (the room's budget),
 * packet-gate.ts (sizes, rates and shedding from each packet's header, applied in broker.ts with
 * `judgePacket`).
 */
export interface HookOptions {
  serviceUsername: string;
  /** Without it there is no audience role: every client is a service (an open broker). */
  servicePassword?: string;
  prefix?: string;
  limits?: Partial<BrokerLimits>;
  /** Milliseconds, for rates and bans; tests may pass their own. */
  now?: () => number;
}

type AedesHooks = Required<
  Pick<
    AedesOptions,
    'preConnect' | 'authenticate' | 'authorizePublish' | 'authorizeSubscribe' | 'authorizeForward' | 'published'
  >
>;

export interface BrokerHooks extends AedesHooks {
  readonly limits: BrokerLimits;
  readonly counters: BrokerCounters;
  /** What the room's admission control did with audience values (stats/broker `room`). */
  admission(): AdmissionCounts;
  /**
   * Asked at every packet header, before aedes reads the packet (packet-gate.ts): sizes by role
   * (until the role is known, the audience's, but for the CONNECT itself); the audience's control
   * packets (SUBSCRIBE, UNSUBSCRIBE, PINGREQ, …) against a rate; and the audience's PUBLISH
   * against its rate and the room's budget, shed at the door when over either.
   */
  judgePacket(client: Client | undefined, header: PacketHeader): PacketVerdict;
  /** The message id of a QoS 1 PUBLISH `judgePacket` marked: aedes refuses it when it gets there. */
  marked(client: Client | undefined, messageId: number): void;
  /**
   * The most bytes a connection may hold unsent without aedes waiting for it: an audience
   * client's `audienceMaxBufferedBytes`; undefined for a service (normal backpressure: nothing
   * of ours is dropped) and before the role is known (guarded-connection.ts).
   */
  maxBuffered(client: Client | undefined): number | undefined;
  /**
   * What the audience's connections hold unsent, all together (`audienceMaxBufferedTotalBytes`)
   * and for how long (`audienceDrainTimeoutMs`): shared by every connection (unsent-budget.ts).
   */
  readonly unsent: UnsentBudget<GuardedConnection>;
  /** An audience connection over that bound, the total or the drain timeout, about to be closed (why): counted and reported. */
  slowSubscriber(client: Client | undefined, reason: string): void;
  /** Gives the hooks the broker they serve (to report refusals on `errors`). */
  attach(broker: Aedes): void;
}

/**
 * Where refused publishes go: aedes has no way to drop a publish without closing the connection
 * (an error from authorizePublish does that), so a refused packet is renamed to this topic, which
 * nobody may subscribe to and authorizeForward never delivers (it is outside the prefix), and
 * loses its retain flag.
 */
export const REFUSED_TOPIC = '$SYS/openwest/refused';

interface ClientState {
  role: Role;
  rate?: PublishRate;
  share?: Share;
  /** The audience's subscription filters, at most `maxSubscriptions`. */
  subscriptions?: Set<string>;
  /** The audience's packets other than PUBLISH and PUBACK (SUBSCRIBE, PINGREQ, PUBREL, …). */
  control?: TokenBucket;
  /** QoS 1 PUBLISH message ids the door marked as dropped: refused when aedes reaches them. */
  dropIds?: Set<number>;
}

/** A CONNECT may be this large before the role is known (a service's carries its Last Will). */
const CONNECT_MAX_BYTES = 1024;
const PUBLISH = 3;
/** The acknowledgement of a QoS 1 delivery: a page at QoS 1 sends one per note, never a control packet. */
const PUBACK = 4;
const qos = (flags: number) => (flags >> 1) & 0x03;

export function createHooks(options: HookOptions): BrokerHooks {
  const limits: BrokerLimits = { ...defaultLimits, ...options.limits };
  const topics: Topics = makeTopics(options.prefix ?? DEFAULT_PREFIX);
  const now = options.now ?? (() => performance.now());
  // Real time, whatever `now` is: the drain timeout is about sockets (and the broker's timer).
  const unsent = new UnsentBudget<GuardedConnection>(
    limits.audienceMaxBufferedTotalBytes,
    limits.audienceDrainTimeoutMs,
    () => performance.now(),
  );
  const counters = emptyCounters(unsent);
  const reporter = new RefusalReporter(topics, counters, limits.errorReportsPerSecond, clientTagger());
  const reserved = new ReservedIds();
  const flapping = new FlappingGuard(limits.flapping);
  const connectRate = new ConnectRate(limits.connectRate);
  const admission = new AudienceAdmission(limits.audienceBudget, now());
  const states = new WeakMap<Client, ClientState>();
  const refusedAtConnect = new WeakMap<Client, AuthenticateError>();
  const listeners = new ServiceListeners();
  let broker: Aedes | undefined;
  const audienceRules = { maxPayloadBytes: limits.audienceMaxPayloadBytes };

  const isService = (username: string | undefined, password: Buffer | undefined) =>
    !options.servicePassword ||
    (username === options.serviceUsername && !!password && sameSecret(password, options.servicePassword));

  const refuseConnect = (client: Client, returnCode: 2 | 3, message: string) => {
    const error = new Error(message) as AuthenticateError;
    error.returnCode = returnCode;
    refusedAtConnect.set(client, error);
  };

  const refusePublish = (
    client: Client,
    packet: { topic: string; payload: Buffer | string; retain: boolean },
    reason: string,
  ) => {
    if (broker) reporter.report(broker, { clientId: client.id, topic: packet.topic, payload: packet.payload, reason });
    packet.topic = REFUSED_TOPIC;
    packet.retain = false;
  };

  // An audience PUBLISH, judged from its header: over the client's rate or the room's budget it
  // is dropped. At QoS 0 it is cut out before aedes reads it (nothing is owed for it); at QoS 1
  // it is marked and refused in authorizePublish, so that its PUBACK keeps its place; QoS 2 is
  // refused there anyway, but counts against the rate.
  const door = (client: Client, state: ClientState, level: number): PacketVerdict => {
    const at = now();
    const rate = state.rate?.check(at) ?? 'ok';
    if (rate === 'disconnect') {
      counters.rateDisconnected += 1;
      if (broker)
        reporter.report(broker, { clientId: client.id, topic: '', reason: 'far over the publish rate: disconnected' });
      return { close: `${client.id} far over its publish rate` };
    }
    if (level > 1) return 'pass';
    const dropped = rate === 'drop' || (state.share !== undefined && !admission.admit(state.share, at));
    if (rate === 'drop') counters.rateDropped += 1;
    if (!dropped) return 'pass';
    return level === 0 ? 'shed' : 'mark';
  };

  return {
    limits,
    counters,
    unsent,
    admission: () => admission.counts(),
    attach(b) {
      broker = b;
      // A clean session ends with its connection; a persistent one (clean: false) outlives it.
      b.on('client', (client) => listeners.connected(client.id, !client.clean));
      b.on('clientDisconnect', (client) => listeners.disconnected(client.id));
      b.on('unsubscribe', (filters, client) => {
        const subscriptions = states.get(client)?.subscriptions;
        for (const f of filters) {
          listeners.remove(client.id, f);
          subscriptions?.delete(f);
        }
      });
    },
    judgePacket(client, { type, flags, bytes, first }) {
      const state = client ? states.get(client) : undefined;
      const max =
        state?.role === 'service'
          ? limits.serviceMaxPacketBytes
          : first
            ? CONNECT_MAX_BYTES
            : limits.audienceMaxPacketBytes;
      if (bytes > max) {
        counters.oversizeClosed += 1;
        return { close: `packet of ${bytes} bytes is over the ${max}-byte limit` };
      }
      if (!state) {
        // Sent in the same write as the CONNECT, before the broker knows who it is (MQTT allows
        // that): a PUBLISH could only pass untried by rate and budget, so it is dropped and
        // counted. Our services, MQTT.js and mosquitto_pub wait for the CONNACK.
        if (type !== PUBLISH || first) return 'pass';
        counters.earlyPublishDropped += 1;
        return qos(flags) === 0 ? 'shed' : { close: 'PUBLISH at QoS 1 or 2 before the CONNACK' };
      }
      if (state.role !== 'audience') return 'pass';
      if (type === PUBLISH) return door(client!, state, qos(flags));
      if (type !== PUBACK && state.control && !state.control.take(now())) {
        counters.controlRateClosed += 1;
        return { close: `more than ${limits.audienceControlRate.perSecond} control packets a second` };
      }
      return 'pass';
    },

    marked(client, messageId) {
      const ids = client ? states.get(client)?.dropIds : undefined;
      // At most what a client can have in flight: an id is re-used only after its PUBACK.
      if (ids && ids.size < 65_536) ids.add(messageId);
    },

    maxBuffered(client) {
      return client && states.get(client)?.role === 'audience' ? limits.audienceMaxBufferedBytes : undefined;
    },

    slowSubscriber(client, reason) {
      counters.slowSubscriberClosed += 1;
      if (broker && client)
        reporter.report(broker, { clientId: client.id, topic: '', reason: `${reason}: disconnected` });
    },

    // Connection-level refusals are decided here, where the CONNECT packet is visible, and
    // answered in authenticate, which can send a CONNACK with a return code.
    preConnect(client, packet, callback) {
      const address = remoteAddress(client);
      const service = isService(packet.username, packet.password);
      const reservedFor = service || !options.servicePassword ? undefined : reserved.refusal(packet.clientId);
      if (packet.clientId.length > limits.maxClientIdLength) {
        counters.connectRefused.clientId += 1;
        refuseConnect(client, 2, `client id longer than ${limits.maxClientIdLength} characters`);
      } else if (reservedFor) {
        counters.connectRefused.reservedId += 1;
        refuseConnect(client, 2, reservedFor);
      } else if (broker && broker.connectedClients >= limits.maxConnections) {
        counters.connectRefused.full += 1;
        refuseConnect(client, 3, `server full (${limits.maxConnections} connections)`);
      } else if (!service) {
        // Nothing is kept for a phone: the audience always gets a clean session (CONNACK says no
        // session present), or strangers' abandoned sessions would each hold messages forever.
        packet.clean = true;
        // An address is only ever slowed (its excess connects refused at once), never banned: a
        // script opening a connection per value, or a room behind one NAT address, plays on.
        // Flapping is judged by client id alone (EMQX's rule).
        const at = now();
        if (address && !connectRate.admit(address, at)) {
          counters.connectRefused.connectRate += 1;
          refuseConnect(
            client,
            3,
            `more than ${limits.connectRate.perSecond} connects a second from one address: try again in a moment`,
          );
        } else {
          const flapped = packet.clientId ? flapping.connect([`client id ${packet.clientId}`], at) : undefined;
          if (flapped) {
            counters.connectRefused.flapping += 1;
            refuseConnect(client, 3, flapped);
          }
        }
      }
      callback(null, true);
    },

    authenticate(client, username, password, done) {
      const refused = refusedAtConnect.get(client);
      if (refused) return done(refused, false);
      if (isService(username, password)) {
        states.set(client, { role: 'service' });
        if (options.servicePassword) reserved.add(client.id);
        return done(null, true);
      }
      if (username === options.serviceUsername) {
        counters.connectRefused.password += 1;
        const error = new Error('bad service password') as AuthenticateError;
        error.returnCode = 4;
        return done(error, false);
      }
      states.set(client, {
        role: 'audience',
        rate: new PublishRate(limits.audienceRate, now()),
        share: admission.newShare(now()),
        subscriptions: new Set(),
        control: new TokenBucket(limits.audienceControlRate.perSecond, limits.audienceControlRate.burst, now()),
        dropIds: new Set(),
      });
      done(null, true);
    },

    // A refused publish is dropped, counted and reported; the client stays connected. (Rates and
    // the room's budget were applied at the door, judgePacket.)
    authorizePublish(client, packet, callback) {
      if (!client) return callback(null);
      const state = states.get(client);
      if (packet.qos === 1 && state?.dropIds?.delete(packet.messageId!)) {
        // Over the rate or the budget at the door (counted there): gone, but acknowledged in turn.
        packet.topic = REFUSED_TOPIC;
        packet.retain = false;
        return callback(null);
      }
      const role = state?.role ?? 'audience';
      const refused = publishVerdict(topics, role, packet, audienceRules);
      if (refused) {
        counters.publishRefused += 1;
        refusePublish(client, packet, refused);
      }
      callback(null);
    },

    authorizeSubscribe(client, subscription, callback) {
      const state = states.get(client);
      const role = state?.role ?? 'audience';
      const subscriptions = state?.subscriptions;
      const refused =
        subscribeVerdict(topics, subscription.topic) ??
        (subscriptions &&
        !subscriptions.has(subscription.topic) &&
        subscriptions.size >= limits.audienceMaxSubscriptions
          ? `at most ${limits.audienceMaxSubscriptions} subscriptions per client`
          : undefined);
      if (refused) {
        counters.subscribeRefused += 1;
        if (broker) reporter.report(broker, { clientId: client.id, topic: subscription.topic, reason: refused });
        return callback(null, null);
      }
      if (role === 'service') listeners.add(client.id, !client.clean, subscription.topic, subscription.qos);
      subscriptions?.add(subscription.topic);
      callback(null, subscription);
    },

    authorizeForward(_client, packet) {
      return deliverable(topics, packet.topic) ? packet : null;
    },

    // Counts instrument values and note events no service was listening to (the mapper or the
    // synth stopped, or not yet subscribed again after a broker restart): dropped, but never
    // silently. A service away with a persistent session hears what the broker keeps for it: QoS 1.
    published(packet, client, callback) {
      if (client) counters.publishes += 1;
      const { topic } = packet;
      if (
        client &&
        (topic.startsWith(topics.under.instruments) ||
          topic.startsWith(topics.under.performer) ||
          topic.startsWith(topics.under.notes))
      ) {
        if (!listeners.heard(packet.topic, packet.qos)) counters.unheard += 1;
      }
      callback(null);
    },
  };
}

/** Every connection is a GuardedConnection, which carries its socket's (or WebSocket's) address. */
const remoteAddress = (client: Client): string | undefined => (client.conn as { remoteAddress?: string }).remoteAddress;

function sameSecret(given: Buffer, expected: string): boolean {
  const want = Buffer.from(expected);
  return given.length === want.length && timingSafeEqual(given, want);
}
