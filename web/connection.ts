import mqtt from 'mqtt';
import { BehaviorSubject, Subject, type Observable } from 'rxjs';
import { delivery } from '../shared/contract/contract.js';
import { reconnectDelayMs, type ConnectionState } from './state/backoff.js';
import type { PageMessage } from './state/room-state.js';

export interface RoomConnection {
  readonly state$: Observable<ConnectionState>;
  readonly messages$: Observable<PageMessage>;
  /** Publishes a value as the audience does: to instruments/N, QoS and retain from the contract. */
  playValue(topic: string, value: number): boolean;
  close(): void;
}

const decoder = new TextDecoder();

/**
 * Connects to the broker as an ordinary audience client (anonymous, MQTT 3.1.1, clean session),
 * subscribes to `filters` on every connect, and reconnects with a doubling back-off (MQTT.js's own
 * reconnect is a fixed interval, so it is off).
 */
export function connectRoom(url: string, filters: string[]): RoomConnection {
  const state$ = new BehaviorSubject<ConnectionState>({ state: 'connecting', url });
  const messages$ = new Subject<PageMessage>();
  const client = mqtt.connect(url, {
    protocolVersion: 4,
    clean: true,
    // A broker that vanishes without closing the socket is noticed within two keepalives (MQTT.js
    // closes when a PINGRESP is missing), so the page stops vouching for the services promptly.
    keepalive: 5,
    reconnectPeriod: 0,
    connectTimeout: 5_000,
    resubscribe: false,
    clientId: `page-${Math.random().toString(36).slice(2, 10)}`,
  });
  let attempt = 0;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let lastError: string | undefined;
  let closed = false;

  client.on('connect', () => {
    attempt = 0;
    lastError = undefined;
    client.subscribe(filters, { qos: 0 });
    state$.next({ state: 'connected', url });
  });
  client.on('message', (topic, payload) => {
    messages$.next({ topic, text: decoder.decode(payload), at: performance.now() });
  });
  client.on('error', (error) => {
    lastError = error.message;
  });
  // 'close' and 'offline' both mean the link is gone; whichever comes first plans the one retry.
  const lost = () => {
    if (closed || retry) return;
    attempt += 1;
    const inMs = reconnectDelayMs(attempt, undefined, Math.random());
    state$.next({ state: 'reconnecting', url, attempt, inMs, ...(lastError ? { reason: lastError } : {}) });
    retry = setTimeout(() => {
      retry = undefined;
      state$.next({ state: 'connecting', url });
      client.reconnect();
    }, inMs);
  };
  client.on('close', lost);
  client.on('offline', lost);

  return {
    state$: state$.asObservable(),
    messages$: messages$.asObservable(),
    playValue(topic, value) {
      if (!client.connected) return false;
      const { qos, retain } = delivery.instruments;
      client.publish(topic, String(value), { qos, retain });
      return true;
    },
    close() {
      closed = true;
      clearTimeout(retry);
      client.end(true);
    },
  };
}
