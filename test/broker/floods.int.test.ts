import mqttPacket from 'mqtt-packet';
import { afterEach, describe, expect, it } from 'vitest';
import { audienceAddress } from '../bench/raw-mqtt.js';
import { startTestBroker, type TestBroker } from '../helpers/broker.js';
import { RecordingClient } from '../helpers/mqtt-client.js';
import { RawSocket } from '../helpers/raw-socket.js';
import { waitFor } from '../helpers/wait.js';

const SERVICE_PASSWORD = 'floods-secret';
const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(): Promise<{ b: TestBroker; watcher: RecordingClient; player: RecordingClient }> {
  const b = await startTestBroker({ servicePassword: SERVICE_PASSWORD });
  cleanups.push(() => b.close(100));
  const watcher = await RecordingClient.connect(b.url, { username: 'service', password: SERVICE_PASSWORD });
  cleanups.push(() => watcher.close());
  await watcher.subscribe('openwest/instruments/+');
  const player = await RecordingClient.connect(b.url, { clientId: 'polite-player' });
  cleanups.push(() => player.close());
  return { b, watcher, player };
}

async function open(b: TestBroker, n: number): Promise<RawSocket> {
  const raw = await RawSocket.open(b.port, audienceAddress(n));
  cleanups.push(() => raw.destroy());
  return raw;
}

const connect = (clientId: string, extra: Record<string, unknown> = {}) =>
  mqttPacket.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, keepalive: 60, clientId, ...extra } as never);
const subscribe = (messageId: number, filters: number) =>
  mqttPacket.generate({
    cmd: 'subscribe',
    messageId,
    subscriptions: Array.from({ length: filters }, (_, i) => ({ topic: `openwest/notes/${messageId}-${i}`, qos: 0 })),
  } as never);

/** The polite player's next value arrives: the show plays on. */
async function playsOn(watcher: RecordingClient, player: RecordingClient, value: string) {
  await player.publish('openwest/instruments/2', value, { qos: 1 });
  await watcher.next('openwest/instruments/2', (m) => m.text === value);
}

describe('packet floods from the audience', () => {
  it('a SUBSCRIBE flood (15,000 packets of 10 filters) closes the flooder after its burst; nothing of it is granted beyond the cap, and the show plays on', async () => {
    const { b, watcher, player } = await setUp();
    const raw = await open(b, 11);
    raw.send(connect('sub-flooder'));
    await raw.next('connack');
    raw.send(Buffer.concat(Array.from({ length: 15_000 }, (_, i) => subscribe(i + 1, 10))));
    await waitFor('the flooder closed', () => raw.closed);
    expect(b.hooks.counters.controlRateClosed).toBe(1);
    // at most the burst of SUBSCRIBEs was answered, and at most 16 filters granted
    const granted = raw.received.filter((p) => p.cmd === 'suback').flatMap((p) => (p as { granted: number[] }).granted);
    expect(granted.length).toBeLessThanOrEqual(30 * 10);
    expect(granted.filter((g) => g !== 128).length).toBeLessThanOrEqual(16);
    await playsOn(watcher, player, '61');
  });

  it('a PINGREQ flood closes the flooder after its burst, and the show plays on', async () => {
    const { b, watcher, player } = await setUp();
    const raw = await open(b, 12);
    raw.send(connect('pinger'));
    await raw.next('connack');
    const ping = mqttPacket.generate({ cmd: 'pingreq' } as never);
    raw.send(Buffer.concat(Array.from({ length: 200_000 }, () => ping)));
    await waitFor('the pinger closed', () => raw.closed);
    expect(raw.received.filter((p) => p.cmd === 'pingresp').length).toBeLessThanOrEqual(30);
    expect(b.hooks.counters.controlRateClosed).toBe(1);
    // one closed socket with replies pending is one connection error, not thousands
    expect(b.hooks.counters.connectionErrors).toBeLessThanOrEqual(1);
    await playsOn(watcher, player, '62');
  });

  it('an oversize SUBSCRIBE in the same write as the CONNECT is refused by its header: nothing granted', async () => {
    const { b, watcher, player } = await setUp();
    const raw = await open(b, 13);
    const big = subscribe(1, 3_600);
    expect(big.length).toBeGreaterThan(60_000);
    raw.send(Buffer.concat([connect('early-bird'), big]));
    await waitFor('closed', () => raw.closed);
    expect(raw.received.some((p) => p.cmd === 'suback')).toBe(false);
    expect(b.hooks.counters.oversizeClosed).toBe(1);
    await playsOn(watcher, player, '63');
  });

  it('a 60 KB PUBLISH in the same write as the CONNECT is refused before aedes parses it', async () => {
    const { b, watcher, player } = await setUp();
    const raw = await open(b, 14);
    const publish = mqttPacket.generate({ cmd: 'publish', topic: 'openwest/instruments/1', payload: Buffer.alloc(60_000, 0x31), qos: 0, retain: false, dup: false } as never);
    raw.send(Buffer.concat([connect('early-publisher'), publish]));
    await waitFor('closed', () => raw.closed);
    expect(b.hooks.counters.oversizeClosed).toBe(1);
    expect(b.hooks.counters.publishRefused).toBe(0);
    await playsOn(watcher, player, '64');
  });

  it('a service’s CONNECT with a long Last Will still gets in', async () => {
    const { b } = await setUp();
    const will = { topic: 'openwest/status/visualiser', payload: Buffer.from('x'.repeat(400)), qos: 1, retain: true };
    const { raw, code } = await RawSocket.connected(b.port, 'visualiser-some-long-host-name-12345-abcdef', '127.0.0.1', {
      username: 'service',
      password: Buffer.from(SERVICE_PASSWORD),
      will,
    });
    cleanups.push(() => raw.destroy());
    expect(code).toBe(0);
  });
});
