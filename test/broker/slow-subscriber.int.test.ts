import { afterEach, describe, expect, it } from 'vitest';
import { reportBrokerStatus } from '../../services/broker/broker-status.js';
import { makeTopics } from '../../shared/contract/topics.js';
import { startTestBroker } from '../helpers/broker.js';
import { RecordingClient } from '../helpers/mqtt-client.js';
import { RawSocket } from '../helpers/raw-socket.js';
import { sleep, waitFor } from '../helpers/wait.js';

/**
 * docs/safety-and-faults.md: "aedes waits at most 10 s for a slow subscriber's socket to drain".
 * A phone that subscribes to a busy topic and then stops reading (a frozen app, or an attack)
 * must be cut off, counted, and cost nobody else a message. Not asserted here (it is a matter of
 * time): until the cut-off, aedes reads no further publish from the performer, so the reader gets
 * them late, all at once.
 */
const SERVICE_PASSWORD = 'slow-secret';
const BUSY = 'openwest/played/1';
/** Large payloads fill the socket buffers of the slow phone (a few MiB on loopback) in seconds. */
const PADDING = 'x'.repeat(8 * 1024);

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const seqOf = (text: string) => Number(text.slice(0, text.indexOf(' ')));

describe('a subscriber that stops reading its socket', () => {
  it('is cut off and counted, while a subscriber that reads gets every message in order', async () => {
    const broker = await startTestBroker({ servicePassword: SERVICE_PASSWORD });
    cleanups.push(() => broker.close(0));
    const status = reportBrokerStatus(
      broker.aedes,
      makeTopics(),
      broker.hooks.counters,
      () => broker.hooks.admission(),
      200,
    );
    cleanups.push(() => status.stop());
    const service = { username: 'service', password: SERVICE_PASSWORD };
    const watcher = await RecordingClient.connect(broker.url, service);
    cleanups.push(() => watcher.close());
    await watcher.subscribe('openwest/stats/broker');
    const performer = await RecordingClient.connect(broker.url, service);
    cleanups.push(() => performer.close());

    // Two phones of the audience: one reads (MQTT.js, as the page), one freezes (from an address of its own).
    const reader = await RecordingClient.connect(broker.url);
    cleanups.push(() => reader.close());
    await reader.subscribe(BUSY);
    const { raw: frozen, code } = await RawSocket.connected(broker.port, 'frozen-phone', '127.3.0.7');
    cleanups.push(() => frozen.destroy());
    expect(code).toBe(0);
    frozen.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: BUSY, qos: 0 }] });
    expect(await frozen.next('suback')).toMatchObject({ granted: [0] });
    frozen.socket.pause(); // from here on it never reads: the kernel's buffers fill, then aedes' own

    // The performer plays on (at most ~1.6 MB/s) until the broker lets the frozen phone go.
    let sent = 0;
    const play = async (count: number) => {
      for (let i = 0; i < count; i++) await performer.publish(BUSY, `${sent++} ${PADDING}`);
    };
    let playing = true;
    const playingOn = (async () => {
      while (playing) {
        await play(20);
        await sleep(100);
      }
    })();
    await waitFor('the broker to cut the frozen phone off', () => broker.hooks.counters.connectionErrors > 0, 40_000);
    playing = false;
    await playingOn;
    expect(broker.hooks.counters.connectionErrors).toBe(1);
    await play(50); // after the cut-off: none of these can reach the frozen phone

    // The reader got every message, once, in order.
    await waitFor('every message at the reader', () => reader.on(BUSY).length >= sent, 20_000);
    expect(reader.on(BUSY).map((m) => seqOf(m.text))).toEqual(Array.from({ length: sent }, (_, i) => i));

    // The broker's stats: one connection fewer (watcher, performer and reader remain), the cut-off counted.
    const stats = await watcher.next(
      'openwest/stats/broker',
      (m) => m.json<{ connectionErrors: number }>().connectionErrors > 0,
      10_000,
    );
    expect(stats.json()).toMatchObject({ connections: 3, connectionErrors: 1 });

    // The frozen phone, reading again, finds its connection closed by the broker and messages missing.
    frozen.socket.resume();
    await waitFor('the frozen phone to see its connection closed', () => frozen.closed, 20_000);
    const got = frozen.received.filter((p) => p.cmd === 'publish').length;
    expect(got).toBeGreaterThan(0);
    expect(got).toBeLessThan(sent);
  }, 90_000);
});
