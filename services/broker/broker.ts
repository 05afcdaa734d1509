import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { Aedes, type Client } from 'aedes';
import { WebSocketServer, createWebSocketStream } from 'ws';
import type { BrokerHooks } from './hooks.js';

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
   * (at most `graceMs`), then closes.
   */
  close(graceMs?: number): Promise<void>;
}

/**
 * How many messages aedes routes at once. Its default, 100, caps a crowd: with 2,000 audience
 * connections at 5 msg/s it delivered ~1,000 msg/s and queued the rest, the performer's notes
 * behind them (seconds late); at 10,000 it keeps up (see the bench's crowd scenario).
 */
const DELIVERIES_IN_FLIGHT = 10_000;

/** The embedded MQTT broker: aedes on TCP and on WebSocket, Nagle off on every TCP socket. */
export async function startBroker(options: BrokerOptions): Promise<RunningBroker> {
  const aedes = await Aedes.createBroker({ concurrency: DELIVERIES_IN_FLIGHT, ...options.hooks });
  const services = trackServices(aedes, `${options.prefix}/status/`);

  const tcp = createTcpServer({ noDelay: true }, (socket) => aedes.handle(socket));
  const http = createHttpServer((_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain' }).end('MQTT over WebSocket only\n');
  });
  const wss = new WebSocketServer({ server: http });
  wss.on('connection', (socket, request) => {
    (request.socket as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
    aedes.handle(createWebSocketStream(socket), request);
  });

  try {
    await listen(tcp, options.port, options.host);
    await listen(http, options.wsPort, options.host);
  } catch (error) {
    tcp.close();
    http.close();
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    throw error;
  }

  let closing: Promise<void> | undefined;
  const close = (graceMs = 2_000) =>
    (closing ??= (async () => {
      tcp.close();
      wss.close();
      http.close();
      await services.allGone(graceMs);
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

function listen(server: TcpServer | HttpServer, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
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
