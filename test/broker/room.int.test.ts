import { afterEach, describe, expect, it } from 'vitest';
import { mapperEnv } from '../../services/mapper/config.js';
import { startMapper } from '../../services/mapper/mapper.js';
import { synthEnv } from '../../services/synth/config.js';
import { startSynth } from '../../services/synth/synth.js';
import { audienceAddress, publishPacket, RawClient } from '../bench/raw-mqtt.js';
import { startTestBroker, type TestBroker } from '../helpers/broker.js';
import { testLog } from '../helpers/log.js';
import { mosquittoPub } from '../helpers/mosquitto-cli.js';
import { RecordingClient } from '../helpers/mqtt-client.js';
import { RecordingOutput } from '../helpers/recording-output.js';
import { sleep, waitFor } from '../helpers/wait.js';

const SERVICE_PASSWORD = 'room-secret';
const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function broker(limits: NonNullable<Parameters<typeof startTestBroker>[0]>['limits'] = {}): Promise<TestBroker> {
  const b = await startTestBroker({ servicePassword: SERVICE_PASSWORD, limits });
  cleanups.push(() => b.close(100));
  return b;
}

async function watcher(b: TestBroker, ...filters: string[]) {
  const c = await RecordingClient.connect(b.url, { username: 'service', password: SERVICE_PASSWORD });
  cleanups.push(() => c.close());
  await c.subscribe(...filters);
  return c;
}

/** A raw MQTT connection from its own loopback address; resolves with its CONNACK return code. */
function rawConnect(
  b: TestBroker,
  clientId: string,
  localAddress: string,
): Promise<{ code: number; client?: RawClient }> {
  return RawClient.connect(b.port, clientId, '127.0.0.1', 5_000, undefined, localAddress).then(
    (client) => {
      cleanups.push(() => client.destroy());
      return { code: 0, client };
    },
    (error: Error) => ({ code: Number(/return code (\d+)/.exec(error.message)?.[1] ?? -1) }),
  );
}

describe('a person playing by hand', () => {
  it('is never refused: mosquitto_pub, a new connection for every value, four a second, plays every value', async () => {
    const b = await broker();
    const notes = await watcher(b, 'openwest/instruments/3');
    const values = Array.from({ length: 48 }, (_, i) => String(40 + (i % 40)));
    // 48 connects from one address in ~12 s: more than the old flapping rule's 15 a minute
    for (const value of values) {
      await mosquittoPub(b.port, 'openwest/instruments/3', value);
      await sleep(250);
    }
    await waitFor('every value', () => notes.on('openwest/instruments/3').length === values.length);
    expect(notes.on('openwest/instruments/3').map((m) => m.text)).toEqual(values);
    expect(b.hooks.counters.connectRefused).toEqual({
      connectRate: 0,
      flapping: 0,
      full: 0,
      clientId: 0,
      reservedId: 0,
      password: 0,
    });
  });
});

describe('a reconnect storm', () => {
  it('from one client id is refused after the limit, while another id from another address plays', async () => {
    const b = await broker({ flapping: { maxConnects: 15, windowMs: 60_000, banMs: 60_000 } });
    const notes = await watcher(b, 'openwest/instruments/5');
    const codes: number[] = [];
    // one id, from a fresh address each time: the id alone is judged
    for (let i = 0; i < 25; i++) {
      const { code, client } = await rawConnect(b, 'stormy', audienceAddress(100 + i));
      codes.push(code);
      client?.destroy();
    }
    expect(codes.slice(0, 15).every((c) => c === 0)).toBe(true);
    expect(codes.slice(15).every((c) => c === 3)).toBe(true);
    expect(b.hooks.counters.connectRefused.flapping).toBe(10);

    const other = await rawConnect(b, 'someone-else', audienceAddress(7));
    expect(other.code).toBe(0);
    other.client!.send(publishPacket('openwest/instruments/5', '64'));
    expect((await notes.next('openwest/instruments/5')).text).toBe('64');
  });

  it('from one address is slowed, never banned: the excess connects are refused at once and it plays again a moment later', async () => {
    const b = await broker();
    const address = audienceAddress(3);
    const codes = await Promise.all(Array.from({ length: 40 }, (_, i) => rawConnect(b, `burst-${i}`, address)));
    expect(codes.filter((c) => c.code === 0).length).toBeGreaterThanOrEqual(30);
    expect(codes.filter((c) => c.code === 3).length).toBeGreaterThan(0);
    expect(b.hooks.counters.connectRefused.connectRate).toBe(codes.filter((c) => c.code === 3).length);
    // a neighbour on another address is untouched, and the same address is welcome again soon
    expect((await rawConnect(b, 'neighbour', audienceAddress(4))).code).toBe(0);
    await sleep(300);
    expect((await rawConnect(b, 'later', address)).code).toBe(0);
  });
});

describe('a room over its budget', () => {
  it('sheds audience values at the door, counts them, and delivers nothing late, while the performer plays every value', async () => {
    const budget = 40;
    const b = await broker({ audienceBudget: budget });
    const env = { MQTT_URL: b.url, LOG_LEVEL: 'silent' as const, SERVICE_PASSWORD };
    const output = new RecordingOutput();
    const mapper = await startMapper(mapperEnv.parse(env), testLog('mapper'));
    cleanups.push(() => mapper.stop());
    const synth = await startSynth(synthEnv.parse(env), testLog('synth'), { output });
    cleanups.push(() => synth.stop());
    const values = await watcher(b, 'openwest/instruments/+', 'openwest/performer/+');
    const performer = await RecordingClient.connect(b.url, { username: 'service', password: SERVICE_PASSWORD });
    cleanups.push(() => performer.close());

    // 60 phones, each on its own address, 4 values a second: 240/s offered to a budget of 40/s
    const phones = await Promise.all(
      Array.from({ length: 60 }, (_, i) => rawConnect(b, `phone-${i}`, audienceAddress(1000 + i))),
    );
    expect(phones.every((p) => p.code === 0)).toBe(true);
    let offered = 0;
    const crowd = setInterval(() => {
      for (const [i, phone] of phones.entries()) {
        phone.client!.send(publishPacket(`openwest/instruments/${(i % 8) + 1}`, String(40 + (offered++ % 40))));
      }
    }, 250);
    const knob = Array.from({ length: 30 }, (_, i) => String(40 + i));
    for (const value of knob) {
      await performer.publish('openwest/performer/16', value);
      await sleep(50);
    }
    await sleep(2_000);
    clearInterval(crowd);

    // every performer value was delivered and played, on instrument 16's channel, in order
    await waitFor(
      'the knob played',
      () => output.sent.filter((m) => m.kind === 'noteOn' && m.channel === 16).length === knob.length,
    );
    expect(values.received.filter((m) => m.topic === 'openwest/performer/16').map((m) => m.text)).toEqual(knob);

    // the audience: what was not admitted was shed and counted, and never comes later
    const room = b.hooks.admission();
    expect(room.offered).toBe(offered);
    expect(room.shed).toBeGreaterThan(offered / 2);
    expect(room.admitted + room.shed).toBe(room.offered);
    const audienceDelivered = () => values.received.filter((m) => m.topic.startsWith('openwest/instruments/')).length;
    await waitFor('what was admitted', () => audienceDelivered() === room.admitted);
    await sleep(500);
    expect(audienceDelivered()).toBe(room.admitted);
    expect(room.shedPercent).toBeGreaterThan(50);
    expect(room.fairShare).not.toBeNull();
  });

  it('counts every value a greedy phone offers as admitted or shed', async () => {
    const b = await broker({ audienceBudget: 5 });
    const phone = await rawConnect(b, 'phone', audienceAddress(9));
    for (let i = 0; i < 30; i++) phone.client!.send(publishPacket('openwest/instruments/1', '60'));
    await waitFor('the values counted', () => b.hooks.admission().offered === 30);
    const room = b.hooks.admission();
    expect(room.budget).toBe(5);
    expect(room.admitted).toBeLessThan(30);
    expect(room.shed).toBe(30 - room.admitted);
  });
});
