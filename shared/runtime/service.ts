import type { Socket } from 'node:net';
import mqtt, { type MqttClient } from 'mqtt';
import { BehaviorSubject, Observable, Subject, filter, map, share } from 'rxjs';
import { epochNow } from '../contract/clock.js';
import { brokerUrl, type CommonConfig } from './config.js';
import { delivery, type Delivery, type TopicKind, type TopicPayloads } from '../contract/contract.js';
import type { Logger } from './logger.js';
import { logConnection } from './connection-log.js';
import { HeldMessages } from './held-acks.js';
import { reannouncements, saysOnline } from './reannounce-status.js';
import { sessionIdentity, sessionNote } from './session-identity.js';
import { makeTopics, topicKind, topicMatcher, type Topic, type TopicFilter, type Topics } from '../contract/topics.js';

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
   * Keep a persistent session (unless MQTT_SESSION=off): a stable client id (shared/runtime/session.ts),
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

/**
 * Connects a service to the broker the way every OpenWest service does: a unique client id, a
 * retained `offline` Last Will, a retained `online` status on every (re)connect (and again when a
 * stale `offline` shows up on it), Nagle off, and incoming messages as Observables. Resolves once
 * the first connection is up.
 */
export async function startService(
  name: string,
  config: CommonConfig,
  log: Logger,
  options: ServiceOptions = {},
): Promise<Service> {
  const topics = makeTopics(config.TOPIC_PREFIX);
  const url = brokerUrl(config);
  const identity = sessionIdentity({
    name,
    prefix: topics.prefix,
    sessionSetting: config.MQTT_SESSION,
    durable: options.durable,
    clientId: options.clientId,
    startedAt: epochNow(),
  });
  const { clientId, sessionId, subscribeQos } = identity;
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
    will: { topic: topics.status(name), payload: Buffer.from(identity.status('offline')), qos: 1, retain: true },
  });

  const connected$ = new BehaviorSubject(false);
  let stopping: Promise<void> | undefined;
  const incoming$ = new Subject<IncomingMessage>();
  const held = new HeldMessages<IncomingMessage>(client, sessionId !== undefined);
  const connectionLog = logConnection(client, url, log);
  const offline = offlineCounter();
  let connections = 0;

  client.on('connect', (connack) => {
    (client.stream as Partial<Socket>).setNoDelay?.(true);
    connections += 1;
    connectionLog.connected();
    client.publish(topics.status(name), identity.status('online'), { qos: 1, retain: true });
    const note = sessionId ? sessionNote(sessionId, connack.sessionPresent, connections) : '';
    log.info(`${connections === 1 ? 'connected' : 'reconnected'} to ${url}${note}`);
    const droppedInOutage = offline.reconnected();
    if (droppedInOutage > 0) log.warn(`dropped ${droppedInOutage} messages while the broker was away`);
    connected$.next(true);
  });
  client.on('close', () => {
    if (!connected$.value) return;
    connected$.next(false);
    if (connectionLog.closed() && !stopping) {
      log.error(
        `the broker closed the connection 3 times within seconds of connecting: is another copy of ${name} using client id ${clientId}?` +
          (sessionId ? ' (give each copy its own MQTT_SESSION)' : ''),
      );
    }
  });
  client.on('message', (topic, payload) => {
    const message = { topic, payload, receivedAt: epochNow() };
    held.arrived(message);
    incoming$.next(message);
  });

  await firstConnection(client, url, name);

  // A stale `offline` on our own retained status (a duplicate's Last Will, a dying old copy's
  // stop, our own will from a connection the broker noticed late) is answered with `online`.
  // QoS 0: a persistent session must not queue statuses while away (it announces on connect).
  const ownStatus = topics.status(name);
  client.subscribe(ownStatus, { qos: 0 });
  const reannouncing = reannouncements()(
    incoming$.pipe(
      filter((m) => m.topic === ownStatus),
      map((m) => saysOnline(m.payload.toString())),
    ),
  ).subscribe(() => {
    if (!client.connected || stopping) return;
    log.warn(`${ownStatus} said ${name} is offline while it runs: announcing online again`);
    client.publish(ownStatus, identity.status('online'), { qos: 1, retain: true });
  });

  const messages = <K extends TopicKind>(topicFilter: TopicFilter<K> | Topic<K>) =>
    new Observable<IncomingMessage>((subscriber) => {
      // A subscribe cut short by a lost connection is repeated by MQTT.js on reconnect, so it
      // must not end the stream; a refusal by the broker is logged loudly.
      client.subscribe(topicFilter, { qos: subscribeQos }, (error, granted) => {
        if (error) log.debug(`subscribe to ${topicFilter} interrupted (${error.message}); retried on reconnect`);
        else if (granted?.some((g) => g.qos === 128))
          log.error(`the broker refused the subscription to ${topicFilter}`);
        else log.info(`subscribed to ${topicFilter}`);
      });
      const matches = topicMatcher(topicFilter);
      for (const m of held.replay()) if (matches(m.topic)) subscriber.next(m);
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
    if (!client.connected && !offline.mayQueue(qos)) return;
    client.publish(topic, typeof payload === 'string' ? payload : JSON.stringify(payload), { qos, retain });
  };

  const stop = () =>
    (stopping ??= (async () => {
      reannouncing.unsubscribe();
      if (client.connected) {
        await withTimeout(
          client.publishAsync(topics.status(name), identity.status('offline'), { qos: 1, retain: true }),
          1_000,
        ).catch(() => undefined); // the connection lost meanwhile: the Last Will says offline instead
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
    droppedWhileOffline: offline.dropped,
    stop,
  };
}

/** Resolves on the first connection; rejects at once on a refusal, which retrying will not mend. */
function firstConnection(client: MqttClient, url: string, name: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const firstError = (error: Error) => {
      // A refused connection may get better (the broker starting); an auth refusal will not.
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
}

/**
 * While the broker is away, QoS 0 messages are dropped and counted, never queued; QoS 1 ones are
 * queued up to MAX_QUEUED_WHILE_OFFLINE per outage, then dropped and counted too.
 */
function offlineCounter() {
  let dropped = 0;
  let droppedAtOutage = 0;
  let queued = 0;
  return {
    /** Whether a message of `qos` may wait in MQTT.js's queue; counts it as dropped if not. */
    mayQueue(qos: 0 | 1): boolean {
      if (qos === 1 && ++queued <= MAX_QUEUED_WHILE_OFFLINE) return true;
      dropped += 1;
      return false;
    },
    /** Starts a new outage's count; returns how many the last outage dropped. */
    reconnected(): number {
      const inOutage = dropped - droppedAtOutage;
      droppedAtOutage = dropped;
      queued = 0;
      return inOutage;
    },
    dropped: () => dropped,
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
