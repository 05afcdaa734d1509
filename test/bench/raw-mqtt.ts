import { connect as tcpConnect, type Socket } from 'node:net';
import mqttPacket, { type Packet } from 'mqtt-packet';

/**
 * A lightweight MQTT 3.1.1 client straight on a socket with `mqtt-packet`: a load generator can
 * hold thousands of these, and a prebuilt PUBLISH is one `write`. QoS 0 only, no keepalive.
 */
/**
 * Settings for every broker and service the bench starts: services log in with this password;
 * the connection cap is lifted for the capacity scenario. Every other limit is the default: each
 * simulated phone connects from an address of its own (`audienceAddress`), as on stage.
 */
export const BENCH_ENV = {
  SERVICE_PASSWORD: 'openwest-bench',
  MAX_CONNECTIONS: '30000',
  STATS_INTERVAL_MS: '1000',
} as const;

/**
 * The i-th simulated phone's own source address: Linux routes all of 127.0.0.0/8 to loopback,
 * so the broker's per-address rules see a crowd, not one machine.
 */
export const audienceAddress = (i: number): string =>
  `127.${1 + Math.floor(i / 65_025)}.${Math.floor(i / 255) % 255}.${(i % 255) + 1}`;

export class RawClient {
  private readonly parser = mqttPacket.parser({ protocolVersion: 4 });
  private onPublish: ((topic: string, payload: Buffer) => void) | undefined;
  private waiting: { cmd: string; resolve: (p: Packet) => void }[] = [];
  closed = false;

  private constructor(readonly socket: Socket) {
    socket.setNoDelay(true);
    this.parser.on('packet', (packet: Packet) => {
      if (packet.cmd === 'publish') {
        this.onPublish?.(packet.topic, packet.payload as Buffer);
        return;
      }
      const i = this.waiting.findIndex((w) => w.cmd === packet.cmd);
      if (i >= 0) this.waiting.splice(i, 1)[0]!.resolve(packet);
    });
    socket.on('data', (chunk) => this.parser.parse(chunk));
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => {});
  }

  /** Connects as a service (the bench's generators and watchers stand in for the sensor and friends). */
  static service(port: number, clientId: string): Promise<RawClient> {
    return RawClient.connect(port, clientId, '127.0.0.1', 20_000, {
      username: 'service',
      password: BENCH_ENV.SERVICE_PASSWORD,
    });
  }

  /** Connects and resolves after a successful CONNACK. */
  static connect(
    port: number,
    clientId: string,
    host = '127.0.0.1',
    timeoutMs = 20_000,
    login?: { username: string; password: string },
    localAddress?: string,
  ): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = tcpConnect({ port, host, noDelay: true, ...(localAddress ? { localAddress } : {}) });
      const client = new RawClient(socket);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`no CONNACK from ${host}:${port} within ${timeoutMs} ms`));
      }, timeoutMs);
      const fail = (error: Error) => {
        clearTimeout(timer);
        reject(error);
      };
      socket.once('error', fail);
      socket.once('connect', () => {
        client.expect('connack').then((packet) => {
          clearTimeout(timer);
          socket.off('error', fail);
          const code = (packet as { returnCode?: number }).returnCode;
          if (code) reject(new Error(`broker refused ${clientId}: return code ${code}`));
          else resolve(client);
        }, fail);
        socket.write(
          mqttPacket.generate({
            cmd: 'connect',
            protocolId: 'MQTT',
            protocolVersion: 4,
            clean: true,
            clientId,
            // 0 (never time out) is refused by the broker's keepalive bound; no bench client lives 7 minutes.
            keepalive: 300,
            ...(login ? { username: login.username, password: Buffer.from(login.password) } : {}),
          }),
        );
      });
    });
  }

  private expect(cmd: string): Promise<Packet> {
    return new Promise((resolve) => this.waiting.push({ cmd, resolve }));
  }

  async subscribe(topicFilter: string | string[], onPublish: (topic: string, payload: Buffer) => void): Promise<void> {
    this.onPublish = onPublish;
    const acked = this.expect('suback');
    const subscriptions = [topicFilter].flat().map((topic) => ({ topic, qos: 0 as const }));
    this.socket.write(mqttPacket.generate({ cmd: 'subscribe', messageId: 1, subscriptions }));
    await acked;
  }

  /** Writes a packet built with `publishPacket`. */
  send(packet: Buffer): void {
    this.socket.write(packet);
  }

  /** Drops the connection at once, as a phone leaving the room would. */
  destroy(): void {
    this.socket.destroy();
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.end(mqttPacket.generate({ cmd: 'disconnect' }));
      setTimeout(() => this.socket.destroy(), 1_000).unref();
    });
  }
}

const packetCache = new Map<string, Buffer>();

/** A QoS 0 PUBLISH, built once per topic and payload. */
export function publishPacket(topic: string, payload: string): Buffer {
  const key = `${topic}\u0000${payload}`;
  let packet = packetCache.get(key);
  if (!packet) {
    packet = mqttPacket.generate({ cmd: 'publish', topic, payload, qos: 0, retain: false, dup: false });
    packetCache.set(key, packet);
  }
  return packet;
}

/** Opens `count` connections, each from its own address, at most `inFlight` at once; returns them and the connect rate. */
export async function connectMany(
  port: number,
  count: number,
  idPrefix: string,
  inFlight = 100,
): Promise<{ clients: RawClient[]; seconds: number; perSecond: number }> {
  const clients: RawClient[] = [];
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      clients[i] = await RawClient.connect(
        port,
        `${idPrefix}-${i}`,
        '127.0.0.1',
        20_000,
        undefined,
        audienceAddress(i),
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, count) }, worker));
  const seconds = (performance.now() - started) / 1000;
  return { clients, seconds, perSecond: count / seconds };
}
