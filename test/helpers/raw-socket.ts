import { connect, type Socket } from 'node:net';
import mqttPacket, { type Packet } from 'mqtt-packet';
import { waitFor } from './wait.js';

/**
 * An MQTT 3.1.1 connection built by hand, for attacks: packets go out exactly as given (objects
 * through `mqtt-packet`, or raw bytes), from a loopback address of its own, and every packet the
 * broker sends back is kept in order.
 */
export class RawSocket {
  readonly received: Packet[] = [];
  private closedFlag = false;

  private constructor(readonly socket: Socket) {
    const parser = mqttPacket.parser({ protocolVersion: 4 });
    parser.on('packet', (p: Packet) => this.received.push(p));
    parser.on('error', () => socket.destroy());
    socket.on('data', (chunk) => parser.parse(chunk));
    socket.on('close', () => (this.closedFlag = true));
    socket.on('error', () => {});
  }

  static open(port: number, localAddress = '127.0.0.1'): Promise<RawSocket> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port, localAddress, noDelay: true });
      socket.once('connect', () => resolve(new RawSocket(socket)));
      socket.once('error', reject);
    });
  }

  /** Opens a connection and sends CONNECT; resolves with the socket and its CONNACK's return code. */
  static async connected(port: number, clientId: string, localAddress: string, extra: Record<string, unknown> = {}) {
    const raw = await RawSocket.open(port, localAddress);
    raw.send(connectPacket(clientId, extra));
    const connack = (await raw.next('connack')) as { returnCode: number };
    return { raw, code: connack.returnCode };
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  send(packet: Record<string, unknown> | Buffer): void {
    this.socket.write(Buffer.isBuffer(packet) ? packet : mqttPacket.generate(packet as never));
  }

  /** The first packet of kind `cmd` not yet taken. */
  async next(cmd: string, timeoutMs = 5_000): Promise<Packet> {
    const packet = await waitFor(`a ${cmd} packet`, () => this.received.find((p) => p.cmd === cmd), timeoutMs);
    this.received.splice(this.received.indexOf(packet), 1);
    return packet;
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** An MQTT 3.1.1 CONNECT with a clean session, as a phone sends it; `extra` overrides any field. */
export const connectPacket = (clientId: string, extra: Record<string, unknown> = {}) => ({
  cmd: 'connect' as const,
  protocolId: 'MQTT' as const,
  protocolVersion: 4 as const,
  clean: true,
  keepalive: 60,
  clientId,
  ...extra,
});
