import { afterEach, describe, expect, it } from 'vitest';
import { mapperEnv } from '../../services/mapper/config.js';
import { startMapper } from '../../services/mapper/mapper.js';
import { persistentClientId } from '../../shared/runtime/session.js';
import { audienceAddress } from '../bench/raw-mqtt.js';
import { startTestBroker, type TestBroker } from '../helpers/broker.js';
import { testLog } from '../helpers/log.js';
import { RecordingClient } from '../helpers/mqtt-client.js';
import { RawSocket } from '../helpers/raw-socket.js';
import { sleep, waitFor } from '../helpers/wait.js';

const SERVICE_PASSWORD = 'takeover-secret';
const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function broker(): Promise<TestBroker> {
  const b = await startTestBroker({ servicePassword: SERVICE_PASSWORD });
  cleanups.push(() => b.close(100));
  return b;
}

async function attacker(b: TestBroker, clientId: string, n: number) {
  const { raw, code } = await RawSocket.connected(b.port, clientId, audienceAddress(n));
  cleanups.push(() => raw.destroy());
  return { raw, code };
}

describe('client-id takeover', () => {
  it('refuses an audience CONNECT with the mapper’s persistent id (CONNACK 2), again and again, and the mapper never notices', async () => {
    const b = await broker();
    const env = { MQTT_URL: b.url, LOG_LEVEL: 'silent' as const, SERVICE_PASSWORD };
    const mapper = await startMapper(mapperEnv.parse(env), testLog('mapper'));
    cleanups.push(() => mapper.stop());
    const id = persistentClientId('mapper', 'auto', 'openwest')!;
    const watcher = await RecordingClient.connect(b.url, { username: 'service', password: SERVICE_PASSWORD });
    cleanups.push(() => watcher.close());
    await watcher.subscribe('openwest/status/mapper', 'openwest/notes/+');

    // the attack: the computed id, from fresh addresses, every 100 ms, more than the flapping limit
    for (let i = 0; i < 20; i++) {
      const { code, raw } = await attacker(b, id, 200 + i);
      expect(code).toBe(2);
      raw.destroy();
      await sleep(20);
    }
    expect(b.hooks.counters.connectRefused.reservedId).toBe(20);
    expect(b.hooks.counters.connectRefused.flapping).toBe(0);
    // the real mapper was never kicked: it never went offline, and it still plays
    expect(watcher.on('openwest/status/mapper').some((m) => m.text.includes('"offline"'))).toBe(false);
    const player = await RecordingClient.connect(b.url);
    cleanups.push(() => player.close());
    await player.publish('openwest/instruments/1', '62');
    expect((await watcher.next('openwest/notes/1')).json()).toMatchObject({ note: 62 });
  });

  it('refuses every id in the services’ namespace, and any id a service login has used, but not a phone’s', async () => {
    const b = await broker();
    const custom = await RecordingClient.connect(b.url, {
      clientId: 'stage-left',
      username: 'service',
      password: SERVICE_PASSWORD,
    });
    cleanups.push(() => custom.close());
    for (const [i, id] of [
      'synth-b15489fc',
      'sensor-vm-123-abc',
      'broker-x',
      'visualiser-1',
      'player-9',
      'mapper-stage2',
      'stage-left',
    ].entries()) {
      expect((await attacker(b, id, 300 + i)).code, id).toBe(2);
    }
    for (const [i, id] of ['mosq-Hx8a2b', 'MyMQTT-17', 'phone', 'mapperfan'].entries()) {
      expect((await attacker(b, id, 400 + i)).code, id).toBe(0);
    }
    expect(custom.client.connected).toBe(true);
  });
});

describe('client ids on errors', () => {
  it('are a short salted tag, the same for one phone and different for another, never the id itself', async () => {
    const b = await broker();
    const watcher = await RecordingClient.connect(b.url);
    cleanups.push(() => watcher.close());
    await watcher.subscribe('openwest/errors');
    const one = await attacker(b, 'phone-17', 500);
    const two = await attacker(b, 'phone-18', 501);
    one.raw.send({ cmd: 'publish', topic: 'openwest/notes/1', payload: 'a', qos: 0, retain: false, dup: false });
    await waitFor('one report', () => watcher.on('openwest/errors').length === 1);
    one.raw.send({ cmd: 'publish', topic: 'openwest/notes/2', payload: 'b', qos: 0, retain: false, dup: false });
    await waitFor('two reports', () => watcher.on('openwest/errors').length === 2);
    two.raw.send({ cmd: 'publish', topic: 'openwest/notes/3', payload: 'c', qos: 0, retain: false, dup: false });
    await waitFor('three reports', () => watcher.on('openwest/errors').length === 3);
    const ids = watcher.on('openwest/errors').map((m) => m.json<{ clientId: string }>().clientId);
    expect(ids[0]).toMatch(/^c-[A-Za-z0-9_-]{8}$/);
    expect(ids[1]).toBe(ids[0]);
    expect(ids[2]).not.toBe(ids[0]);
    expect(watcher.on('openwest/errors').some((m) => m.text.includes('phone-1'))).toBe(false);
  });
});

describe('subscriptions per audience client', () => {
  it('are capped: beyond 16 filters a SUBSCRIBE gets 0x80, and an unsubscribe frees a place', async () => {
    const b = await broker();
    const { raw } = await attacker(b, 'greedy', 600);
    // two SUBSCRIBEs of 10 filters (each packet within the audience's 256 bytes)
    const filters = (from: number) =>
      Array.from({ length: 10 }, (_, i) => ({ topic: `openwest/notes/${from + i}`, qos: 0 }));
    raw.send({ cmd: 'subscribe', messageId: 1, subscriptions: filters(0) });
    expect(((await raw.next('suback')) as { granted: number[] }).granted).toEqual(Array(10).fill(0));
    raw.send({ cmd: 'subscribe', messageId: 4, subscriptions: filters(10) });
    expect(((await raw.next('suback')) as { granted: number[] }).granted).toEqual([
      0, 0, 0, 0, 0, 0, 128, 128, 128, 128,
    ]);
    raw.send({ cmd: 'unsubscribe', messageId: 2, unsubscriptions: ['openwest/notes/0'] });
    await raw.next('unsuback');
    raw.send({ cmd: 'subscribe', messageId: 3, subscriptions: [{ topic: 'openwest/played/1', qos: 0 }] });
    expect(((await raw.next('suback')) as { granted: number[] }).granted).toEqual([0]);
    expect(b.hooks.counters.subscribeRefused).toBe(4);
  });
});
