import { hostname } from 'node:os';
import type { Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { BehaviorSubject, Observable, Subject, filter, share } from 'rxjs';
import { epochNow } from './clock.js';
import { brokerUrl, type CommonConfig } from './config.js';
import { delivery, type Delivery, type Status, type TopicKind, type TopicPayloads } from './contract.js';
import type { Logger } from './logger.js';
import { persistentClientId } from './session.js';
import { makeTopics, topicKind, topicMatcher, type Topic, type TopicFilter, type Topics } from './topics.js';

/** A message as it arrived, stamped on arrival so pipelines can measure latency. */
export interface IncomingMessage {
  readonly topic: string;
  readonly payload: Buffer;
  readonly receivedAt: number;
}

export interface Service {
  readonly name: string;
  readonly topics: Topics;
  readonly log: Logger;
  readonly url: string;
  /** true while connected to the broker; emits on every change. */
  readonly connected$: Observable<boolean>;
  /** Messages matching `topicFilter`; subscribes on the broker while observed, again after reconnects. */
  messages<K extends TopicKind>(topicFilter: TopicFilter<K> | Topic<K>): Observable<IncomingMessage>;
  /**
   * Publishes with the QoS and retain flag the contract gives that topic. While the broker is
   * away, QoS 0 messages are dropped and counted (`droppedWhileOffline`), never queued; QoS 1
   * ones are queued up to MAX_QUEUED_WHILE_OFFLINE, then dropped and counted too. `qos` raises
   * the contract's QoS where it allows either (a score player wants every value acknowledged).
   */
  publish<K extends TopicKind>(topic: Topic<K>, payload: TopicPayloads[K], options?: { qos?: 0 | 1 }): void;
  /** Messages dropped because the broker was away, since start. */
  droppedWhileOffline(): number;
  /** Publishes `offline`, then closes the connection. */
  stop(): Promise<void>;
}

export interface ServiceOptions {
  /** Override the client id (unique by default: service, host, pid, random). */
  clientId?: string;
  reconnectPeriodMs?: number;
  /**
   * Keep a persistent session (unless MQTT_SESSION=off): a stable client id (shared/session.ts),
   * clean: false, QoS 1 subscriptions. The broker keeps what arrives while this service is away
   * and hands it to the next copy; a QoS 1 message is acknowledged only after the pipeline has
   * handled it (MQTT.js sends the PUBACK after the synchronous message handlers, and on the same
   * socket after whatever they published), so a kill loses nothing the broker did not keep.
   * A durable service subscribes (`messages`) right after start: until it does, the messages of
   * a resumed session wait unacknowledged.
   */
  durable?: boolean;
}

/** QoS 1 messages a service queues while the broker is away, at most; the rest are dropped and counted. */
export const MAX_QUEUED_WHILE_OFFLINE = 1_000;
/** Connections this short, three in a row, and a service says another copy may share its client id. */
const SHORT_CONNECTION_MS = 5_000;

/**
 * Connects a service to the broker the way every OpenWest service does: a unique client id, a
 * retained `offline` Last Will, a retained `online` status on every (re)connect, Nagle off, and
 * incoming messages as Observables. Resolves once the first connection is up.
 */
export async function startService(
  name: string,
  config: CommonConfig,
  log: Logger,
  options: ServiceOptions = {},
): Promise<Service> {
  const topics = makeTopics(config.TOPIC_PREFIX);
  const url = brokerUrl(config);
  const startedAt = epochNow();
  const status = (state: Status['state']): string =>
    JSON.stringify({ service: name, state, pid: process.pid, startedAt } satisfies Status);

  const sessionId = options.durable ? (options.clientId ?? persistentClientId(name, config.MQTT_SESSION, topics.prefix)) : undefined;
  const clientId = sessionId ?? options.clientId ?? `${name}-${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const subscribeQos = sessionId ? 1 : 0;
  const client: MqttClient = mqtt.connect(url, {
    clientId,
    protocolVersion: 4,
    clean: sessionId === undefined,
    keepalive: 10,
    reconnectPeriod: options.reconnectPeriodMs ?? 500,
    connectTimeout: 5_000,
    // Subscriptions are made again on every reconnect (MQTT.js `resubscribe`, on by default);
    // QoS 0 messages are not queued while offline, so an outage cannot grow memory.
    resubscribe: true,
    queueQoSZero: false,
    ...(config.SERVICE_PASSWORD ? { username: config.SERVICE_USERNAME, password: config.SERVICE_PASSWORD } : {}),
    will: { topic: topics.status(name), payload: Buffer.from(status('offline')), qos: 1, retain: true },
  });

  const connected$ = new BehaviorSubject(false);
  let stopping: Promise<void> | undefined;
  const incoming$ = new Subject<IncomingMessage>();
  let connections = 0;
  let outageLogged = false;
  let dropped = 0;
  let droppedAtOutage = 0;
  let queuedWhileOffline = 0;
  let connectedAt = 0;
  let shortConnections = 0;
  // A resumed session's queue can arrive in the same read as the CONNACK, before any pipeline
  // listens: hold it until the pipelines have subscribed (the turn after the first one does),
  // and hold its acknowledgements as long (MQTT.js reads nothing more meanwhile), so a kill in
  // between loses nothing either.
  let early: IncomingMessage[] | undefined = sessionId ? [] : undefined;
  const heldAcks: (() => void)[] = [];
  client.handleMessage = (_packet, acknowledge) => {
    if (early) heldAcks.push(() => acknowledge());
    else acknowledge();
  };

  client.on('connect', (connack) => {
    (client.stream as Partial<Socket>).setNoDelay?.(true);
    connections += 1;
    connectedAt = performance.now();
    outageLogged = false;
    lastError = '';
    queuedWhileOffline = 0;
    client.publish(topics.status(name), status('online'), { qos: 1, retain: true });
    log.info(`${connections === 1 ? 'connected' : 'reconnected'} to ${url}${sessionId ? sessionNote(sessionId, connack.sessionPresent, connections) : ''}`);
    if (dropped > droppedAtOutage) log.warn(`dropped ${dropped - droppedAtOutage} messages while the broker was away`);
    droppedAtOutage = dropped;
    connected$.next(true);
  });
  client.on('close', () => {
    if (!connected$.value) return;
    connected$.next(false);
    // Two clients with one id take the connection from each other, over and over.
    shortConnections = performance.now() - connectedAt < SHORT_CONNECTION_MS ? shortConnections + 1 : 0;
    if (shortConnections === 3 && !stopping) {
      log.error(
        `the broker closed the connection 3 times within seconds of connecting: is another copy of ${name} using client id ${clientId}?` +
          (sessionId ? ' (give each copy its own MQTT_SESSION)' : ''),
      );
    }
  });
  client.on('offline', () => {
    if (!outageLogged) {
      outageLogged = true;
      log.warn(`broker ${url} unreachable; retrying every ${client.options.reconnectPeriod} ms`);
    }
  });
  // While the broker is away every retry fails the same way: say it once per outage (at debug
  // after that), so a long outage cannot flood the log, or block on a full stdout pipe.
  let lastError = '';
  client.on('error', (error) => {
    if (error.message === lastError) return log.debug(`MQTT error from ${url}: ${error.message}`);
    lastError = error.message;
    log.error(`MQTT error from ${url}: ${error.message}`);
  });
  client.on('message', (topic, payload) => {
    const message = { topic, payload, receivedAt: epochNow() };
    early?.push(message);
    incoming$.next(message);
  });

  await new Promise<void>((resolve, reject) => {
    const firstError = (error: Error) => {
      // An auth refusal will not get better by retrying; a refused connection may (broker starting).
      if ('code' in error && typeof error.code === 'number') {
        client.end(true);
        reject(new Error(`broker ${url} refused ${name}: ${error.message}`));
      }
    };
    client.once('connect', () => {
      client.off('error', firstError);
      resolve();
    });
    client.on('error', firstError);
  });

  const messages = <K extends TopicKind>(topicFilter: TopicFilter<K> | Topic<K>) =>
    new Observable<IncomingMessage>((subscriber) => {
      // A subscribe cut short by a lost connection is repeated by MQTT.js on reconnect, so it
      // must not end the stream; a refusal by the broker is logged loudly.
      client.subscribe(topicFilter, { qos: subscribeQos }, (error, granted) => {
        if (error) log.debug(`subscribe to ${topicFilter} interrupted (${error.message}); retried on reconnect`);
        else if (granted?.some((g) => g.qos === 128)) log.error(`the broker refused the subscription to ${topicFilter}`);
        else log.info(`subscribed to ${topicFilter}`);
      });
      const matches = topicMatcher(topicFilter);
      if (early) {
        for (const m of early) if (matches(m.topic)) subscriber.next(m);
        setImmediate(() => {
          early = undefined;
          for (const acknowledge of heldAcks.splice(0)) acknowledge();
        });
      }
      const subscription = incoming$.pipe(filter((m) => matches(m.topic))).subscribe(subscriber);
      return () => {
        subscription.unsubscribe();
        if (client.connected) client.unsubscribe(topicFilter);
      };
    }).pipe(share());

  const publish = <K extends TopicKind>(topic: Topic<K>, payload: TopicPayloads[K], options?: { qos?: 0 | 1 }) => {
    const kind = topicKind(topics, topic);
    const contract: Delivery = kind ? delivery[kind] : { qos: 0, retain: false };
    const qos = options?.qos ?? contract.qos;
    const { retain } = contract;
    if (!client.connected && (qos === 0 || ++queuedWhileOffline > MAX_QUEUED_WHILE_OFFLINE)) {
      dropped += 1;
      return;
    }
    client.publish(topic, typeof payload === 'string' ? payload : JSON.stringify(payload), { qos, retain });
  };

  const stop = () =>
    (stopping ??= (async () => {
      if (client.connected) {
        await withTimeout(client.publishAsync(topics.status(name), status('offline'), { qos: 1, retain: true }), 1_000);
      }
      await withTimeout(client.endAsync(), 1_000).catch(() => client.end(true));
      connected$.next(false);
      connected$.complete();
      incoming$.complete();
    })());

  return {
    name,
    topics,
    log,
    url,
    connected$: connected$.asObservable(),
    messages,
    publish,
    droppedWhileOffline: () => dropped,
    stop,
  };
}

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function sessionNote(id: string, resumed: boolean, connections: number): string {
  if (resumed) return ` (persistent session ${id} resumed: what the broker kept for it follows)`;
  if (connections === 1) return ` (persistent session ${id}: the broker keeps what arrives for it while it is away)`;
  return ` (the broker had no session ${id}, it must have restarted: subscribed again)`;
}
