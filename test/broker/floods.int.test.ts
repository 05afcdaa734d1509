import mqttPacket from 'mqtt-packet';
import { afterEach, describe, expect, it } from 'vitest';
import { audienceAddress } from '../bench/raw-mqtt.js';
import { startTestBroker, type TestBroker } from '../helpers/broker.js';
import { RecordingClient } from '../helpers/mqtt-client.js';
import { RawSocket, connectPacket } from '../helpers/raw-socket.js';
import { waitFor } from '../helpers/wait.js';

const SERVICE_PASSWORD = 'floods-secret';
const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(
  limits: NonNullable<Parameters<typeof startTestBroker>[0]>['limits'] = {},
): Promise<{ b: TestBroker; watcher: RecordingClient; player: RecordingClient }> {
  const b = await startTestBroker({ servicePassword: SERVICE_PASSWORD, limits });
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
  mqttPacket.generate(connectPacket(clientId, extra));
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
    const publish = mqttPacket.generate({
      cmd: 'publish',
      topic: 'openwest/instruments/1',
      payload: Buffer.alloc(60_000, 0x31),
      qos: 0,
      retain: false,
      dup: false,
    } as never);
    raw.send(Buffer.concat([connect('early-publisher'), publish]));
    await waitFor('closed', () => raw.closed);
    expect(b.hooks.counters.oversizeClosed).toBe(1);
    expect(b.hooks.counters.publishRefused).toBe(0);
    await playsOn(watcher, player, '64');
  });

  it('a service’s CONNECT with a long Last Will still gets in', async () => {
    const { b } = await setUp();
    const will = { topic: 'openwest/status/visualiser', payload: Buffer.from('x'.repeat(400)), qos: 1, retain: true };
    const { raw, code } = await RawSocket.connected(
      b.port,
      'visualiser-some-long-host-name-12345-abcdef',
      '127.0.0.1',
      {
        username: 'service',
        password: Buffer.from(SERVICE_PASSWORD),
        will,
      },
    );
    cleanups.push(() => raw.destroy());
    expect(code).toBe(0);
  });
});

describe('publishes that try to slip past the door', () => {
  const publish = (value: string, qos: 0 | 1 | 2, messageId?: number) =>
    mqttPacket.generate({
      cmd: 'publish',
      topic: 'openwest/instruments/1',
      payload: value,
      qos,
      retain: false,
      dup: false,
      messageId,
    } as never);

  it('in the same write as the CONNECT, before the broker knows who it is: dropped and counted, none delivered', async () => {
    const { b, watcher, player } = await setUp({ audienceBudget: 5 });
    const raw = await open(b, 21);
    raw.send(Buffer.concat([connect('early'), ...Array.from({ length: 40 }, (_, i) => publish(String(40 + i), 0))]));
    await raw.next('connack');
    await playsOn(watcher, player, '66');
    expect(watcher.on('openwest/instruments/1')).toEqual([]);
    expect(b.hooks.counters.earlyPublishDropped).toBe(40);
    // at QoS 1 nothing could be owed for it: the connection is closed
    const other = await open(b, 22);
    other.send(Buffer.concat([connect('early-qos1'), publish('41', 1, 7)]));
    await waitFor('closed', () => other.closed);
    expect(watcher.on('openwest/instruments/1')).toEqual([]);
  });

  it('QoS 1 values over the budget are refused but acknowledged in the order they came', async () => {
    const { b, watcher } = await setUp({ audienceBudget: 1 });
    const raw = await open(b, 23);
    raw.send(connect('orderly'));
    await raw.next('connack');
    // the room starts with a burst of 1 (budget 1/s, half a second ahead): the later ones are dropped
    raw.send(Buffer.concat([1, 2, 3, 4, 5].map((id) => publish(String(50 + id), 1, id))));
    const acks: number[] = [];
    for (let i = 0; i < 5; i++) acks.push(((await raw.next('puback')) as { messageId: number }).messageId);
    expect(acks).toEqual([1, 2, 3, 4, 5]);
    expect(b.hooks.admission().shed).toBeGreaterThan(0);
    const delivered = watcher.on('openwest/instruments/1').length;
    expect(delivered).toBe(b.hooks.admission().admitted);
  });

  it('a QoS 2 flood, each PUBLISH with its PUBREL, is thrown out: both count against the client’s limits', async () => {
    const { b, watcher, player } = await setUp();
    const raw = await open(b, 24);
    raw.send(connect('qos2'));
    await raw.next('connack');
    let id = 0;
    const flood = setInterval(() => {
      if (raw.closed) return;
      const pairs = Array.from({ length: 30 }, () => {
        id = (id % 65_000) + 1;
        return [publish('60', 2, id), mqttPacket.generate({ cmd: 'pubrel', messageId: id } as never)];
      });
      raw.send(Buffer.concat(pairs.flat()));
    }, 10);
    cleanups.push(() => clearInterval(flood));
    await waitFor('the flooder thrown out', () => raw.closed, 15_000);
    clearInterval(flood);
    expect(b.hooks.counters.controlRateClosed + b.hooks.counters.rateDisconnected).toBe(1);
    expect(watcher.on('openwest/instruments/1')).toEqual([]);
    await playsOn(watcher, player, '67');
  });
});
