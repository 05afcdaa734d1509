import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import type { Duplex } from 'node:stream';
import { Aedes, type Client } from 'aedes';
import { WebSocketServer, createWebSocketStream } from 'ws';
import { portInUse } from '../../shared/runtime/config.js';
import { makeTopics } from '../../shared/contract/topics.js';
import type { BrokerHooks } from './hooks.js';
import { closeStuck, GuardedConnection } from './guarded-connection.js';
import { PacketGate } from './packet-gate.js';
import { boundedSessionQueues } from './session-queues.js';

export interface BrokerOptions {
  host: string;
  port: number;
  wsPort: number;
  hooks: BrokerHooks;
  /** Topic prefix: clients that publish a status under it are services, waited for on close. */
  prefix: string;
}

export interface RunningBroker {
  readonly aedes: Aedes;
  readonly port: number;
  readonly wsPort: number;
  /**
   * Stops taking connections, lets connected services publish their last `offline` and leave
   * (at most `graceMs`) and acknowledge what was sent to them (at most 0.5 s), then closes; what
   * it still held for persistent sessions is counted in `unacknowledgedAtClose`.
   */
  close(graceMs?: number): Promise<void>;
}

/**
 * How many messages aedes routes at once. Its default, 100, caps a crowd: with 2,000 audience
 * connections at 5 msg/s it delivered ~1,000 msg/s and queued the rest, the performer's notes
 * behind them (seconds late); at 10,000 it keeps up (see the bench's crowd scenario).
 */
const DELIVERIES_IN_FLIGHT = 10_000;
/** At close, how long connected services have to acknowledge what was sent to them, at most. */
const SESSION_DRAIN_MS = 500;

/**
 * The embedded MQTT broker: aedes on TCP and on WebSocket, Nagle off on every TCP socket, every
 * connection's packet sizes checked before aedes reads them, at most `maxConnections` sockets.
 */
export async function startBroker(options: BrokerOptions): Promise<RunningBroker> {
  const { hooks } = options;
  const sessions = boundedSessionQueues(hooks.limits.maxQueuedPerSession, () => (hooks.counters.queueDropped += 1));
  const aedes = await Aedes.createBroker({
    persistence: sessions.persistence,
    concurrency: DELIVERIES_IN_FLIGHT,
    preConnect: hooks.preConnect,
    authenticate: hooks.authenticate,
    authorizePublish: hooks.authorizePublish,
    authorizeSubscribe: hooks.authorizeSubscribe,
    authorizeForward: hooks.authorizeForward,
    published: hooks.published,
    keepaliveLimit: hooks.limits.maxKeepaliveSeconds,
    drainTimeout: 10_000,
  });
  hooks.attach(aedes);
  // mqemitter starts the next queued message synchronously when one with no subscriber
  // completes; under a flood of such messages (refused ones, or values while the mapper is away)
  // that recursion overflowed the stack and crashed the broker (found by scripts/soak.mjs). A
  // listener on everything that completes on the next tick gives every message a subscriber.
  // process.nextTick, not setImmediate: waiting for the next turn of the event loop for every
  // message put a crowd's values seconds behind (bench crowd, 500 × 5 msg/s: knob p50 1,348 ms
  // with setImmediate, 255 ms with nextTick), while the stack still unwinds between messages.
  (
    aedes as unknown as { mq: { on(topic: string, listener: (packet: unknown, done: () => void) => void): void } }
  ).mq.on('#', (_packet, done) => process.nextTick(done));
  // Once per connection: a socket closed with writes pending fails each of them.
  const failed = new WeakSet<Client>();
  const countError = (client: Client) => {
    if (failed.has(client)) return;
    failed.add(client);
    hooks.counters.connectionErrors += 1;
  };
  aedes.on('clientError', countError);
  aedes.on('connectionError', countError);
  const services = trackServices(aedes, makeTopics(options.prefix).under.status);

  const handle = (conn: Duplex, address: string | undefined, request?: IncomingMessage) => {
    // undefined until aedes.handle returns: the gate's callbacks may read it before then
    let client: Client | undefined = undefined;
    const gate = new PacketGate((header) => hooks.judgePacket(client, header));
    // An audience client's writes never make aedes wait (one phone that stops reading would hold
    // up everyone on its topics); its unsent bytes are bounded instead, alone and with all the others.
    const outgoing = {
      maxBuffered: () => hooks.maxBuffered(client),
      exceeded: (reason: string) => hooks.slowSubscriber(client, reason),
      budget: hooks.unsent,
    };
    const guarded = new GuardedConnection(conn, gate, address, (id) => hooks.marked(client, id), outgoing);
    client = aedes.handle(guarded, request);
  };
  // One coarse timer for the whole broker: an audience socket that has not been empty for the drain
  // timeout is closed even when nothing more is written to it (a frozen phone in a quiet room).
  const sweep = setInterval(() => closeStuck(hooks.unsent), sweepEvery(hooks.limits.audienceDrainTimeoutMs));
  sweep.unref();
  const tcp = createTcpServer({ noDelay: true }, (socket) => handle(socket, socket.remoteAddress));
  tcp.maxConnections = hooks.limits.maxConnections;
  const http = createHttpServer((_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain' }).end('MQTT over WebSocket only\n');
  });
  http.maxConnections = hooks.limits.maxConnections;
  // ws buffers a whole WebSocket message before handing it on: cap it at the largest packet.
  const wss = new WebSocketServer({ server: http, maxPayload: hooks.limits.serviceMaxPacketBytes });
  wss.on('connection', (socket, request) => {
    (request.socket as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
    socket.on('error', () => {}); // e.g. a frame over maxPayload: ws closes the socket itself
    handle(createWebSocketStream(socket), request.socket.remoteAddress, request);
  });

  try {
    await listen(tcp, options.port, options.host, 'MQTT_PORT');
    await listen(http, options.wsPort, options.host, 'MQTT_WS_PORT');
  } catch (error) {
    clearInterval(sweep);
    tcp.close();
    http.close();
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    throw error;
  }

  let closing: Promise<void> | undefined;
  const close = (graceMs = 2_000) =>
    (closing ??= (async () => {
      clearInterval(sweep);
      tcp.close();
      wss.close();
      http.close();
      await services.allGone(graceMs);
      // Connected services acknowledge what they were just sent before the connections go.
      const drainUntil = performance.now() + SESSION_DRAIN_MS;
      while (sessions.heldForConnected() > 0 && performance.now() < drainUntil)
        await new Promise((r) => setTimeout(r, 5));
      hooks.counters.unacknowledgedAtClose = sessions.held();
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      http.closeAllConnections();
    })());

  return {
    aedes,
    port: (tcp.address() as AddressInfo).port,
    wsPort: (http.address() as AddressInfo).port,
    close,
  };
}

/** How often stuck audience sockets are looked for: a quarter of the drain timeout, 10 ms to 1 s. */
const sweepEvery = (drainTimeoutMs: number) => Math.min(1_000, Math.max(10, Math.round(drainTimeoutMs / 4)));

/** Listens; a port another program holds is a configuration error (exit 2, one line, no retries). */
function listen(server: TcpServer | HttpServer, port: number, host: string, setting: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? portInUse(port, setting) : error),
    );
    server.listen(port, host, () => {
      server.removeAllListeners('error');
      resolve();
    });
  });
}

/** Clients that published a status are our services; closing waits for them to say goodbye. */
function trackServices(aedes: Aedes, statusPrefix: string) {
  const connected = new Set<Client>();
  let onEmpty: (() => void) | undefined;
  aedes.on('publish', (packet, client) => {
    if (client && packet.topic.startsWith(statusPrefix)) connected.add(client);
  });
  aedes.on('clientDisconnect', (client) => {
    connected.delete(client);
    if (connected.size === 0) onEmpty?.();
  });
  return {
    allGone(timeoutMs: number): Promise<void> {
      if (connected.size === 0) return Promise.resolve();
      return new Promise((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        onEmpty = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    },
  };
}
