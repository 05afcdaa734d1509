import mqttPacket, { type Packet } from 'mqtt-packet';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connectionOf, reportStatus, startTestBroker, type TestBroker } from '../helpers/broker.js';
import { RecordingClient } from '../helpers/mqtt-client.js';
import { RawSocket } from '../helpers/raw-socket.js';
import { sleep, waitFor } from '../helpers/wait.js';

/**
 * docs/safety-and-faults.md: a phone that subscribes to a busy topic and then stops reading (a
 * frozen app, or an attack) must be cut off, counted, and cost nobody else a message or a moment:
 * the broker never waits for an audience client's socket (aedes would read nothing more from the
 * performer until that socket drained, up to its 10 s drain timeout), and holds what waits to be
 * sent to it to AUDIENCE_MAX_BUFFERED. A service that stops reading is waited for, and loses
 * nothing.
 */
const SERVICE_PASSWORD = 'slow-secret';
const service = { username: 'service', password: SERVICE_PASSWORD };
const BUSY = 'openwest/played/1';
/** Large payloads fill the socket buffers of the slow client (a few MiB on loopback) in seconds. */
const PADDING = 'x'.repeat(8 * 1024);
/** The contract: a reading phone hears each message within a second of its sending, whoever freezes. */
const WITHIN_MS = 1_000;

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const seqOf = (text: string) => Number(text.slice(0, text.indexOf(' ')));

/** A performer publishing numbered 8 KiB messages, 20 every 100 ms (~1.6 MB/s), until stopped. */
function playOn(performer: RecordingClient, sentAt: number[], onEach: () => void = () => {}) {
  const play = async (count: number) => {
    for (let i = 0; i < count; i++) {
      sentAt.push(performance.now());
      await performer.publish(BUSY, `${sentAt.length - 1} ${PADDING}`);
      onEach();
    }
  };
  let playing = true;
  const done = (async () => {
    while (playing) {
      await play(20);
      await sleep(100);
    }
  })();
  return {
    play,
    async stop() {
      playing = false;
      await done;
    },
  };
}

/** A phone of the audience subscribed to BUSY that can stop reading: raw MQTT, from an address of its own. */
interface Phone {
  freeze(): void;
  thaw(): void;
  readonly closed: boolean;
  publishes(): number;
  close(): void;
}

const SUBSCRIBE = { cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: BUSY, qos: 0 }] };

async function tcpPhone(broker: TestBroker, clientId: string, address: string): Promise<Phone> {
  const { raw, code } = await RawSocket.connected(broker.port, clientId, address);
  expect(code).toBe(0);
  raw.send(SUBSCRIBE);
  expect(await raw.next('suback')).toMatchObject({ granted: [0] });
  return {
    freeze: () => raw.socket.pause(),
    thaw: () => raw.socket.resume(),
    get closed() {
      return raw.closed;
    },
    publishes: () => raw.received.filter((p) => p.cmd === 'publish').length,
    close: () => raw.destroy(),
  };
}

/** As the page connects: MQTT over WebSocket. */
async function webSocketPhone(broker: TestBroker, clientId: string, address: string): Promise<Phone> {
  const ws = new WebSocket(broker.wsUrl, 'mqtt', { localAddress: address });
  const received: Packet[] = [];
  const parser = mqttPacket.parser({ protocolVersion: 4 });
  parser.on('packet', (p: Packet) => received.push(p));
  ws.on('message', (data) => parser.parse(data as Buffer));
  let closed = false;
  ws.on('close', () => (closed = true));
  ws.on('error', () => {});
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const send = (packet: object) => ws.send(mqttPacket.generate(packet as never));
  send({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, keepalive: 60, clientId });
  const connack = await waitFor('a CONNACK', () => received.find((p) => p.cmd === 'connack'));
  expect(connack).toMatchObject({ returnCode: 0 });
  send(SUBSCRIBE);
  expect(await waitFor('a SUBACK', () => received.find((p) => p.cmd === 'suback'))).toMatchObject({ granted: [0] });
  return {
    freeze: () => ws.pause(),
    thaw: () => ws.resume(),
    get closed() {
      return closed;
    },
    publishes: () => received.filter((p) => p.cmd === 'publish').length,
    close: () => ws.terminate(),
  };
}

const phones = { TCP: tcpPhone, WebSocket: webSocketPhone };

describe('a subscriber that stops reading its socket', () => {
  it.each(Object.keys(phones) as (keyof typeof phones)[])(
    'an audience client on %s is cut off at its bound and counted, while a reading phone hears every message in time',
    async (transport) => {
      const bound = 256 * 1024;
      const broker = await startTestBroker({
        servicePassword: SERVICE_PASSWORD,
        limits: { audienceMaxBufferedBytes: bound },
      });
      cleanups.push(() => broker.close(0));
      const status = reportStatus(broker, 200);
      cleanups.push(() => status.stop());
      const watcher = await RecordingClient.connect(broker.url, service);
      cleanups.push(() => watcher.close());
      await watcher.subscribe('openwest/stats/broker', 'openwest/errors');
      const performer = await RecordingClient.connect(broker.url, service);
      cleanups.push(() => performer.close());

      // Two phones of the audience: one reads (MQTT.js, as the page), one freezes (from an address of its own).
      const reader = await RecordingClient.connect(broker.url);
      cleanups.push(() => reader.close());
      await reader.subscribe(BUSY);
      const heardAt = new Map<number, number>();
      reader.client.on('message', (topic, payload) => {
        if (topic === BUSY) heardAt.set(seqOf(payload.toString()), performance.now());
      });
      const frozen = await phones[transport](broker, 'frozen-phone', '127.3.0.7');
      cleanups.push(() => frozen.close());
      const frozenConnection = connectionOf(broker, 'frozen-phone');
      let mostUnsent = 0;
      const measure = () => {
        if (!frozenConnection.destroyed) mostUnsent = Math.max(mostUnsent, frozenConnection.unsent);
      };
      frozen.freeze(); // from here on it never reads: the kernel's buffers fill, then the broker's

      // The performer plays on until the broker lets the frozen phone go.
      const sentAt: number[] = [];
      const show = playOn(performer, sentAt, measure);
      await waitFor(
        'the broker to cut the frozen phone off',
        () => broker.hooks.counters.slowSubscriberClosed > 0,
        40_000,
      );
      const cutOffAfter = sentAt.length;
      await show.stop();
      await show.play(50); // after the cut-off: none of these can reach the frozen phone
      const sent = sentAt.length;
      expect(broker.hooks.counters.slowSubscriberClosed).toBe(1);
      expect(broker.hooks.counters.connectionErrors).toBe(1);
      // Enough was played to fill the kernel's buffers and the bound: the freeze really was felt.
      expect(cutOffAfter * PADDING.length).toBeGreaterThan(bound);

      // The reader heard every message, once, in order, each within the contract's second: none
      // waited for the frozen phone.
      await waitFor('every message at the reader', () => reader.on(BUSY).length >= sent, 20_000);
      expect(reader.on(BUSY).map((m) => seqOf(m.text))).toEqual(Array.from({ length: sent }, (_, i) => i));
      const late = sentAt
        .map((at, seq) => ({ seq, ms: Math.round(heardAt.get(seq)! - at) }))
        .filter(({ ms }) => ms > WITHIN_MS);
      expect(late).toEqual([]);

      // What waited to be sent to the frozen phone never passed the bound.
      expect(mostUnsent).toBeGreaterThan(0);
      expect(mostUnsent).toBeLessThanOrEqual(bound);

      // Said once on errors, with the phone's tag (never its id), and counted in the broker's stats:
      // one connection fewer (watcher, performer and reader remain).
      const report = await watcher.next('openwest/errors', (m) => m.text.includes('not reading'));
      const said = report.json<{ service: string; clientId: string }>();
      expect(said.service).toBe('broker');
      expect(said.clientId).toMatch(/^c-/);
      expect(report.text).not.toContain('frozen-phone');
      expect(watcher.on('openwest/errors').filter((m) => m.text.includes('not reading'))).toHaveLength(1);
      const stats = await watcher.next(
        'openwest/stats/broker',
        (m) => {
          const now = m.json<{ connections: number; slowSubscriberClosed: number }>();
          return now.slowSubscriberClosed > 0 && now.connections === 3;
        },
        10_000,
      );
      expect(stats.json()).toMatchObject({ connections: 3, slowSubscriberClosed: 1, connectionErrors: 1 });

      // The frozen phone, reading again, finds its connection closed by the broker and messages missing.
      frozen.thaw();
      await waitFor('the frozen phone to see its connection closed', () => frozen.closed, 20_000);
      const got = frozen.publishes();
      expect(got).toBeGreaterThan(0);
      expect(got).toBeLessThan(sent);
    },
    90_000,
  );

  it('a service is waited for, not cut off by the audience bound, and loses nothing', async () => {
    // A bound far below what a stalled socket holds: were it applied to a service, it would cut it off.
    const broker = await startTestBroker({
      servicePassword: SERVICE_PASSWORD,
      limits: { audienceMaxBufferedBytes: 1024 },
    });
    cleanups.push(() => broker.close(0));
    const performer = await RecordingClient.connect(broker.url, service);
    cleanups.push(() => performer.close());
    const { raw: stalled, code } = await RawSocket.connected(broker.port, 'stalled-service', '127.3.0.8', service);
    cleanups.push(() => stalled.destroy());
    expect(code).toBe(0);
    stalled.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: BUSY, qos: 0 }] });
    expect(await stalled.next('suback')).toMatchObject({ granted: [0] });
    const stalledConnection = connectionOf(broker, 'stalled-service');
    stalled.socket.pause();

    // Played until aedes holds writes for the stalled service (its socket is full), then read again
    // well within aedes' drain timeout.
    const sentAt: number[] = [];
    const show = playOn(performer, sentAt);
    await waitFor(
      'aedes to wait for the stalled service',
      () => stalledConnection.writableNeedDrain || stalledConnection.destroyed,
      40_000,
    );
    expect(stalledConnection.destroyed).toBe(false);
    stalled.socket.resume();
    await show.stop();
    const sent = sentAt.length;

    await waitFor(
      'every message at the service',
      () => stalled.received.filter((p) => p.cmd === 'publish').length >= sent,
      20_000,
    );
    const seqs = stalled.received.filter((p) => p.cmd === 'publish').map((p) => seqOf(String(p.payload)));
    expect(seqs).toEqual(Array.from({ length: sent }, (_, i) => i));
    expect(stalled.closed).toBe(false);
    expect(broker.hooks.counters.slowSubscriberClosed).toBe(0);
    expect(broker.hooks.counters.connectionErrors).toBe(0);
  }, 90_000);
});
