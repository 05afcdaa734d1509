import { afterEach, describe, expect, it } from 'vitest';
import type { Client } from 'aedes';
import type { GuardedConnection } from '../../services/broker/guarded-connection.js';
import { connectionOf, reportStatus, startTestBroker, type TestBroker } from '../helpers/broker.js';
import { RecordingClient } from '../helpers/mqtt-client.js';
import { RawSocket } from '../helpers/raw-socket.js';
import { sleep, waitFor } from '../helpers/wait.js';

/**
 * docs/safety-and-faults.md: a crowd of strangers that subscribe to a busy topic and never read
 * must not get the broker killed for memory (each holding up to AUDIENCE_MAX_BUFFERED, 10,000 of
 * them), and a client that stops reading in a quiet room must not hold what waits for it forever.
 * What all audience connections hold unsent is held to AUDIENCE_MAX_BUFFERED_TOTAL (the one holding
 * the most is closed) and to AUDIENCE_DRAIN_TIMEOUT_MS.
 */
const SERVICE_PASSWORD = 'crowd-secret';
const service = { username: 'service', password: SERVICE_PASSWORD };
const BUSY = 'openwest/played/1';
const PADDING = 'x'.repeat(8 * 1024);
/** Far above what any one of them reaches in these tests: only the total and the timeout apply. */
const ONE_BOUND = 64 * 1024 * 1024;

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const seqOf = (text: string) => Number(text.slice(0, text.indexOf(' ')));

/** A phone subscribed to BUSY over raw MQTT, from a loopback address of its own, that can stop reading. */
async function phone(broker: TestBroker, clientId: string, address: string) {
  const { raw, code } = await RawSocket.connected(broker.port, clientId, address);
  expect(code).toBe(0);
  raw.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: BUSY, qos: 0 }] });
  expect(await raw.next('suback')).toMatchObject({ granted: [0] });
  cleanups.push(() => raw.destroy());
  return { raw, connection: connectionOf(broker, clientId), freeze: () => raw.socket.pause() };
}

/** A performer publishing numbered 8 KiB messages, 20 every 100 ms (~1.6 MB/s), until stopped. */
function playOn(performer: RecordingClient, sentAt: number[], onEach: () => void) {
  let playing = true;
  const done = (async () => {
    while (playing) {
      for (let i = 0; i < 20; i++) {
        sentAt.push(performance.now());
        await performer.publish(BUSY, `${sentAt.length - 1} ${PADDING}`);
        onEach();
      }
      await sleep(100);
    }
  })();
  return async () => {
    playing = false;
    await done;
  };
}

async function brokerWith(limits: { audienceMaxBufferedTotalBytes: number; audienceDrainTimeoutMs: number }) {
  const broker = await startTestBroker({
    servicePassword: SERVICE_PASSWORD,
    limits: { audienceMaxBufferedBytes: ONE_BOUND, ...limits },
  });
  cleanups.push(() => broker.close(0));
  const closed: { clientId: string; reason: string; held: Map<string, number> }[] = [];
  const slowSubscriber = broker.hooks.slowSubscriber.bind(broker.hooks);
  // Who was closed, why, and what every audience connection held at that moment.
  broker.hooks.slowSubscriber = (client: Client | undefined, reason: string) => {
    const clients = (broker.aedes as unknown as { clients: Record<string, { conn: GuardedConnection }> }).clients;
    const held = new Map(Object.entries(clients).map(([id, c]) => [id, broker.hooks.unsent.held(c.conn)]));
    closed.push({ clientId: client?.id ?? '', reason, held });
    slowSubscriber(client, reason);
  };
  const performer = await RecordingClient.connect(broker.url, service);
  cleanups.push(() => performer.close());
  const reader = await RecordingClient.connect(broker.url);
  cleanups.push(() => reader.close());
  await reader.subscribe(BUSY);
  return { broker, closed, performer, reader };
}

describe('a crowd of subscribers that stop reading', () => {
  it('never holds more than the total unsent for them all, closing whoever holds the most, while a reader hears everything', async () => {
    const total = 1024 * 1024;
    /** Between one phone's freezing and the next's: ~400 KB more waits for the earlier one. */
    const STAGGER_MS = 250;
    const { broker, closed, performer, reader } = await brokerWith({
      audienceMaxBufferedTotalBytes: total,
      audienceDrainTimeoutMs: 60_000,
    });
    const status = reportStatus(broker, 100);
    cleanups.push(() => status.stop());
    const watcher = await RecordingClient.connect(broker.url, service);
    cleanups.push(() => watcher.close());
    await watcher.subscribe('openwest/stats/broker');

    // Three phones, each from an address of its own, that stop reading one after the other: the
    // first has the most waiting for it when the total fills, then the second.
    const phones = await Promise.all(
      ['127.4.0.1', '127.4.0.2', '127.4.0.3'].map((a, i) => phone(broker, `frozen-${i}`, a)),
    );
    const connections = phones.map((p) => p.connection);
    let mostUnsent = 0; // what their sockets really held, all together, at any moment looked at
    const measure = () => {
      let sum = 0;
      for (const c of connections) if (!c.destroyed) sum += c.unsent;
      mostUnsent = Math.max(mostUnsent, sum);
    };
    const sampler = setInterval(measure, 5);
    cleanups.push(() => clearInterval(sampler));
    phones[0]!.freeze();
    const sentAt: number[] = [];
    const stop = playOn(performer, sentAt, measure);
    await sleep(STAGGER_MS);
    phones[1]!.freeze();
    await sleep(STAGGER_MS);
    phones[2]!.freeze();

    await waitFor(
      'all three frozen phones cut off',
      () => broker.hooks.counters.slowSubscriberClosed >= 3 || mostUnsent > total, // (over it: failed already)
      60_000,
    );
    await stop();
    clearInterval(sampler);
    const sent = sentAt.length;

    // Never more than the total, by the broker's accounting and by the sockets themselves; and the
    // total was really reached (the test felt it).
    expect(broker.hooks.unsent.peak).toBeLessThanOrEqual(total);
    expect(broker.hooks.unsent.peak).toBeGreaterThan(total / 2);
    expect(mostUnsent).toBeLessThanOrEqual(total);
    expect(mostUnsent).toBeGreaterThan(total / 2);

    // Closed in the order they froze, each holding the most at that moment, all for the total.
    expect(closed.map((c) => c.clientId)).toEqual(['frozen-0', 'frozen-1', 'frozen-2']);
    // When the first was closed, another held bytes too: the total, not one phone's bound, was felt.
    expect([...closed[0]!.held.values()].filter((bytes) => bytes > 0).length).toBeGreaterThan(1);
    for (const { clientId, reason, held } of closed) {
      expect(reason).toBe(
        `not reading: holding the most of the broker's ${total} bytes waiting to be sent to the audience`,
      );
      expect(held.get(clientId)).toBeGreaterThan(0);
      // (a writer closed itself is counted with the message it was about to get: one more)
      for (const bytes of held.values()) expect(bytes).toBeLessThanOrEqual(held.get(clientId)! + PADDING.length + 64);
    }
    expect(broker.hooks.counters.slowSubscriberClosed).toBe(3);
    for (const p of phones) await waitFor('a frozen phone closed', () => p.connection.destroyed);
    expect(broker.hooks.unsent.total).toBe(0); // closed connections gave their share back

    // The reader heard every message, once, in order, and was never closed.
    await waitFor('every message at the reader', () => reader.on(BUSY).length >= sent, 20_000);
    expect(reader.on(BUSY).map((m) => seqOf(m.text))).toEqual(Array.from({ length: sent }, (_, i) => i));
    expect(reader.client.connected).toBe(true);

    // stats/broker says what is waiting now and the most there ever was.
    const stats = await watcher.next(
      'openwest/stats/broker',
      (m) => m.json<{ slowSubscriberClosed: number }>().slowSubscriberClosed === 3,
    );
    const said = stats.json<{ unsentBytes: number; unsentBytesPeak: number }>();
    expect(said.unsentBytesPeak).toBe(broker.hooks.unsent.peak);
    expect(said.unsentBytes).toBeLessThanOrEqual(total);
  }, 90_000);

  it('a phone that stops reading in a quiet room is closed once its socket has not been empty for the drain timeout', async () => {
    const drainTimeoutMs = 500;
    const { broker, closed, performer, reader } = await brokerWith({
      audienceMaxBufferedTotalBytes: 64 * 1024 * 1024,
      audienceDrainTimeoutMs: drainTimeoutMs,
    });
    const frozen = await phone(broker, 'quiet-frozen', '127.4.0.9');
    frozen.freeze();
    // Played only until something waits in the broker for the frozen phone, then the room is quiet.
    const sentAt: number[] = [];
    let firstHeldAt = 0;
    const stop = playOn(performer, sentAt, () => {
      if (!firstHeldAt && broker.hooks.unsent.held(frozen.connection) > 0) firstHeldAt = performance.now();
    });
    await waitFor('bytes waiting for the frozen phone', () => firstHeldAt, 60_000);
    await stop();
    const quietFrom = performance.now();
    expect(frozen.connection.destroyed).toBe(false);

    await waitFor('the frozen phone cut off', () => broker.hooks.counters.slowSubscriberClosed > 0, 10_000, 5);
    const closedAt = performance.now();
    // Nothing was written to it once the room was quiet: the broker's timer closed it, no later
    // than the timeout plus one sweep (a quarter of it) and some slack for a loaded machine.
    expect(closedAt - firstHeldAt).toBeLessThan(drainTimeoutMs * 1.25 + 1_000);
    expect(closedAt - quietFrom).toBeGreaterThan(0);
    expect(closed).toHaveLength(1);
    expect(closed[0]).toMatchObject({
      clientId: 'quiet-frozen',
      reason: `not reading: bytes waiting to be sent for over ${drainTimeoutMs} ms`,
    });
    await waitFor('its connection closed', () => frozen.connection.destroyed);
    expect(broker.hooks.unsent.total).toBe(0);

    // The reader, whose socket empties, heard everything and stays connected well past the timeout.
    const sent = sentAt.length;
    await waitFor('every message at the reader', () => reader.on(BUSY).length >= sent, 20_000);
    await sleep(drainTimeoutMs * 2);
    expect(reader.client.connected).toBe(true);
    expect(broker.hooks.counters.slowSubscriberClosed).toBe(1);
  }, 90_000);
});
