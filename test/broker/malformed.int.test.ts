import { connect as tcpConnect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import mqttPacket from 'mqtt-packet';
import WebSocket from 'ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestBroker, type TestBroker } from '../helpers/broker.js';
import { RecordingClient } from '../helpers/mqtt-client.js';
import { waitFor } from '../helpers/wait.js';

const SERVICE_PASSWORD = 'malformed-secret';
const generate = (packet: Parameters<typeof mqttPacket.generate>[0]) => mqttPacket.generate(packet);
const connectPacket = (clientId: string, extra: Record<string, unknown> = {}) =>
  generate({
    cmd: 'connect',
    protocolId: 'MQTT',
    protocolVersion: 4,
    clean: true,
    keepalive: 30,
    clientId,
    ...extra,
  } as never);
const publishPacket = (topic: string, payload: Buffer | string) =>
  generate({ cmd: 'publish', topic, payload, qos: 0, retain: false, dup: false, messageId: 0 } as never);

/**
 * Byte sequences no broker should choke on. Some must make it hang up at once; others (a
 * truncated packet, random bytes that happen to announce a long packet) leave the connection
 * waiting for more bytes until its connect or keepalive timeout, which is fine too.
 */
const mustClose = new Set([
  'a remaining length of five bytes',
  'a PUBLISH before CONNECT',
  'a CONNECT with a wrong protocol name',
  'a CONNECT for MQTT 5 with garbage properties',
  'a PUBLISH announcing 200 MB',
]);
const badInputs: Record<string, () => Buffer> = {
  'random bytes': () => randomBytes(4096),
  'a remaining length of five bytes': () => Buffer.from([0x10, 0xff, 0xff, 0xff, 0xff, 0x7f]),
  'a PUBLISH before CONNECT': () => publishPacket('openwest/instruments/1', '62'),
  'a CONNECT with a wrong protocol name': () => {
    const p = connectPacket('bad-proto');
    p.write('XQTT', 4);
    return p;
  },
  'a CONNECT for MQTT 5 with garbage properties': () =>
    Buffer.concat([
      Buffer.from([0x10, 0x10, 0, 4]),
      Buffer.from('MQTT'),
      Buffer.from([5, 2, 0, 30, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0]),
    ]),
  'two CONNECTs in a row': () => Buffer.concat([connectPacket('twice'), connectPacket('twice')]),
  'a CONNECT and then garbage': () => Buffer.concat([connectPacket('then-garbage'), randomBytes(512)]),
  'a CONNECT and a truncated PUBLISH': () =>
    Buffer.concat([connectPacket('truncated'), publishPacket('openwest/instruments/1', '62').subarray(0, 9)]),
  'a CONNECT and a PUBLISH to a topic with wildcards': () =>
    Buffer.concat([connectPacket('wild'), Buffer.from([0x30, 0x05, 0x00, 0x01, 0x23, 0x36, 0x32])]),
  'a PUBLISH announcing 200 MB': () =>
    Buffer.concat([connectPacket('huge'), Buffer.from([0x30, 0x80, 0x80, 0x80, 0x60]), randomBytes(8192)]),
};

let broker: TestBroker;
let service: RecordingClient;
let player: RecordingClient;

beforeEach(async () => {
  broker = await startTestBroker({ servicePassword: SERVICE_PASSWORD });
  service = await RecordingClient.connect(broker.url, { username: 'service', password: SERVICE_PASSWORD });
  await service.subscribe('openwest/instruments/+');
  player = await RecordingClient.connect(broker.wsUrl);
});
afterEach(async () => {
  await Promise.all([service.close(), player.close()]);
  await broker.close(100);
});

let played = 0;
async function stillServes() {
  const value = String(30 + (++played % 60));
  await player.publish('openwest/instruments/5', value, { qos: 1 });
  await service.next('openwest/instruments/5', (m) => m.text === value);
  expect(player.client.connected).toBe(true);
  // and nothing the bad bytes carried (a PUBLISH before CONNECT, to a wildcard, cut short) got through
  expect(
    service.received.filter((m) => m.topic !== 'openwest/instruments/5').map((m) => `${m.topic} ${m.text}`),
  ).toEqual([]);
}

function closed(socket: Socket | WebSocket): Promise<void> {
  return new Promise((resolve) => {
    if (socket instanceof WebSocket) {
      if (socket.readyState === WebSocket.CLOSED) return resolve();
      socket.once('close', () => resolve());
    } else {
      if (socket.destroyed) return resolve();
      socket.once('close', () => resolve());
    }
    socket.on('error', () => {});
  });
}

describe('the broker survives bad bytes and keeps serving the others', () => {
  it.each(Object.keys(badInputs))('over TCP: %s', async (name) => {
    const socket = tcpConnect(broker.port, '127.0.0.1');
    const gone = closed(socket);
    socket.write(badInputs[name]!());
    if (mustClose.has(name)) await gone;
    await stillServes();
    socket.destroy();
  });

  it.each(Object.keys(badInputs))('over WebSocket: %s', async (name) => {
    const socket = new WebSocket(broker.wsUrl, 'mqtt');
    const gone = closed(socket);
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    socket.send(badInputs[name]!());
    if (mustClose.has(name)) await gone;
    await stillServes();
    socket.terminate();
  });

  it('over WebSocket: a frame bigger than the largest packet is refused before it is buffered', async () => {
    const socket = new WebSocket(broker.wsUrl, 'mqtt');
    const gone = closed(socket);
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    socket.send(Buffer.alloc(broker.hooks.limits.serviceMaxPacketBytes + 1));
    await gone;
    await stillServes();
  });

  it('a plain HTTP request to the WebSocket port gets an answer, not a crash', async () => {
    const response = await fetch(`http://127.0.0.1:${broker.wsPort}/`);
    expect(response.status).toBe(426);
    await stillServes();
  });

  it('many random-byte connections at once', async () => {
    const sockets = Array.from({ length: 50 }, () => tcpConnect(broker.port, '127.0.0.1'));
    for (const s of sockets) {
      s.on('error', () => {});
      s.write(randomBytes(2048));
    }
    await stillServes();
    for (const s of sockets) s.destroy();
    await stillServes();
  });
});

describe('packet size limits', () => {
  it('closes an audience connection whose packet is over 256 bytes, from its header', async () => {
    const phone = await RecordingClient.connect(broker.url, { clientId: 'big-phone' });
    const closedPhone = new Promise<void>((resolve) => phone.client.once('close', () => resolve()));
    phone.client.publish('openwest/instruments/1', Buffer.alloc(300, 0x31));
    await closedPhone;
    await waitFor('the oversize count', () => broker.hooks.counters.oversizeClosed === 1);
    expect(service.on('openwest/instruments/1')).toEqual([]);
    await phone.close();
    await stillServes();
  });

  it('stops reading a packet announced as 200 MB after the first chunk', async () => {
    const socket = tcpConnect(broker.port, '127.0.0.1');
    const gone = closed(socket);
    socket.write(connectPacket('streamer'));
    socket.write(Buffer.from([0x30, 0x80, 0x80, 0x80, 0x60]));
    let sent = 0;
    // Keep writing until the broker hangs up: it must do so long before 200 MB.
    const writer = setInterval(() => {
      if (!socket.destroyed && sent < 8 * 1024 * 1024) {
        socket.write(Buffer.alloc(64 * 1024));
        sent += 64 * 1024;
      }
    }, 1);
    await gone;
    clearInterval(writer);
    expect(sent).toBeLessThan(8 * 1024 * 1024);
    expect(broker.hooks.counters.oversizeClosed).toBe(1);
    await stillServes();
  });

  it('lets a service publish 60 KiB and refuses 70 KiB', async () => {
    await service.subscribe('openwest/config/big');
    await service.publish('openwest/config/big', Buffer.alloc(60 * 1024, 0x20), { qos: 1 });
    expect((await service.next('openwest/config/big')).payload.length).toBe(60 * 1024);
    const other = await RecordingClient.connect(broker.url, { username: 'service', password: SERVICE_PASSWORD });
    const gone = new Promise<void>((resolve) => other.client.once('close', () => resolve()));
    other.client.publish('openwest/config/big', Buffer.alloc(70 * 1024, 0x20));
    await gone;
    await other.close();
    expect(service.on('openwest/config/big')).toHaveLength(1);
  });
});

describe('an MQTT 5 client', () => {
  it('is refused: a well-formed MQTT 5 CONNECT gets no accepting CONNACK and the connection ends', async () => {
    const socket: Socket = tcpConnect({ port: broker.port, host: '127.0.0.1' });
    const received: Buffer[] = [];
    socket.on('data', (chunk) => received.push(chunk));
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    socket.on('error', () => {});
    socket.write(
      generate({
        cmd: 'connect',
        protocolId: 'MQTT',
        protocolVersion: 5,
        clean: true,
        keepalive: 30,
        clientId: 'v5-phone',
      } as never),
    );
    await closed;
    const bytes = Buffer.concat(received);
    // at most a CONNACK refusing the protocol version (0x20 0x02 0x00 0x01), never one that accepts
    expect(bytes.length === 0 || (bytes[0] === 0x20 && bytes[3] !== 0x00)).toBe(true);
    // and the broker serves everyone else as before
    await player.publish('openwest/instruments/3', '63');
    await service.next('openwest/instruments/3', (m) => m.text === '63');
  });
});
