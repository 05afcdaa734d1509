import mqtt from 'mqtt';
import { defaultInstruments } from '../../services/mapper/instruments.js';
import { mapValue } from '../../services/mapper/map-value.js';
import { afterEach, describe, expect, it } from 'vitest';
import { mapperEnv } from '../../services/mapper/config.js';
import { startMapper } from '../../services/mapper/mapper.js';
import { synthEnv } from '../../services/synth/config.js';
import { startSynth } from '../../services/synth/synth.js';
import { startTestBroker, type TestBroker } from '../helpers/broker.js';
import { testLog } from '../helpers/log.js';
import { RecordingClient } from '../helpers/mqtt-client.js';
import { RecordingOutput } from '../helpers/recording-output.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { LOADED_MACHINE_STALE_MS } from '../helpers/procfile.js';

const SERVICE_PASSWORD = 'limits-secret';
const serviceEnv = (url: string) => ({ MQTT_URL: url, LOG_LEVEL: 'silent' as const, SERVICE_PASSWORD });
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function broker(limits: Parameters<typeof startTestBroker>[0] = {}): Promise<TestBroker> {
  const b = await startTestBroker({ servicePassword: SERVICE_PASSWORD, ...limits });
  cleanups.push(() => b.close(100));
  return b;
}
async function client(url: string, options: Parameters<typeof RecordingClient.connect>[1] = {}) {
  const c = await RecordingClient.connect(url, options);
  cleanups.push(() => c.close());
  return c;
}

describe('a flood from one client', () => {
  it('does not stop another from playing: every note of the player arrives, the flooder is capped and thrown out', async () => {
    const b = await broker();
    const output = new RecordingOutput();
    const mapper = await startMapper(mapperEnv.parse(serviceEnv(b.url)), testLog('mapper'));
    cleanups.push(() => mapper.stop());
    const synth = await startSynth(
      synthEnv.parse({ ...serviceEnv(b.url), STALE_AFTER_MS: LOADED_MACHINE_STALE_MS }),
      testLog('synth'),
      { output },
    );
    cleanups.push(() => synth.stop());

    const flooder = await client(b.url, { clientId: 'flooder' });
    const player = await client(b.url, { clientId: 'player' });
    const flooderClosed = new Promise<number>((resolve) =>
      flooder.client.once('close', () => resolve(performance.now())),
    );

    const started = performance.now();
    let flooded = 0;
    const flood = setInterval(() => {
      // ~10,000 messages a second in bursts, as fast as the socket takes them
      for (let i = 0; i < 100 && flooder.client.connected; i++, flooded++)
        flooder.client.publish('openwest/instruments/1', String(30 + (flooded % 60)));
    }, 10);
    const values = Array.from({ length: 20 }, (_, i) => 40 + i);
    for (const value of values) {
      await player.publish('openwest/instruments/2', String(value), { qos: 1 });
      await sleep(100);
    }
    const closedAt = await flooderClosed;
    clearInterval(flood);

    await waitFor(
      'all the player notes',
      () => output.sent.filter((m) => m.kind === 'noteOn' && m.channel === 2).length === values.length,
      10_000,
    );
    const playedValues = output.sent
      .filter((m) => m.kind === 'noteOn' && m.channel === 2)
      .map((m) => (m as { note: number }).note);
    expect(playedValues).toEqual(values.map((v) => mapValue(defaultInstruments[1]!, v)));

    const flooderNotes = output.sent.filter((m) => m.kind === 'noteOn' && m.channel === 1).length;
    const seconds = (closedAt - started) / 1000;
    const { burst, ratePerSecond } = b.hooks.limits.audienceRate;
    expect(flooded).toBeGreaterThan(1_000);
    expect(flooderNotes).toBeLessThanOrEqual(burst + Math.ceil(ratePerSecond * seconds) + ratePerSecond);
    expect(b.hooks.counters.rateDropped).toBeGreaterThan(flooded / 2);
    expect(b.hooks.counters.rateDisconnected).toBe(1);
    expect(player.client.connected).toBe(true);
  });
});

describe('connection limits', () => {
  it('refuses a client id that connects more than 15 times a minute, but not its address, and never a service', async () => {
    const b = await broker();
    for (let i = 0; i < 15; i++) (await RecordingClient.connect(b.url, { clientId: 'flapper' })).client.end(true);
    await expect(RecordingClient.connect(b.url, { clientId: 'flapper' })).rejects.toThrow(/Server unavailable/);
    // all of these came from 127.0.0.1: another client id from the same address plays on
    await client(b.url, { clientId: 'someone-else' });
    expect(b.hooks.counters.connectRefused.flapping).toBe(1);
    const service = await client(b.url, { username: 'service', password: SERVICE_PASSWORD });
    expect(service.client.connected).toBe(true);
  });

  it('lets the flapping ban expire', async () => {
    const b = await broker({ limits: { flapping: { maxConnects: 2, windowMs: 60_000, banMs: 300 } } });
    for (let i = 0; i < 2; i++) (await RecordingClient.connect(b.url, { clientId: 'flapper' })).client.end(true);
    await expect(RecordingClient.connect(b.url, { clientId: 'flapper' })).rejects.toThrow(/Server unavailable/);
    await sleep(400);
    await client(b.url, { clientId: 'flapper' });
  });

  it('refuses connections beyond MAX_CONNECTIONS and accepts again when one leaves', async () => {
    const b = await broker({ limits: { maxConnections: 3 } });
    const first = await RecordingClient.connect(b.url);
    await client(b.url);
    await client(b.url);
    const refused = mqtt.connect(b.url, { protocolVersion: 4, reconnectPeriod: 0 });
    const outcome = await new Promise<string>((resolve) => {
      refused.once('connect', () => resolve('connected'));
      refused.once('close', () => resolve('closed'));
    });
    refused.end(true);
    expect(outcome).toBe('closed');
    await first.close();
    await waitFor('the broker to see the client leave', () => b.aedes.connectedClients === 2);
    await client(b.url);
  });

  it('refuses a client id longer than MAX_CLIENT_ID_LENGTH', async () => {
    const b = await broker({ limits: { maxClientIdLength: 32 } });
    await expect(RecordingClient.connect(b.url, { clientId: 'x'.repeat(33) })).rejects.toThrow(/Identifier rejected/);
    await client(b.url, { clientId: 'x'.repeat(32) });
  });

  it('refuses a keepalive of 0 or above MAX_KEEPALIVE_S', async () => {
    const b = await broker({ limits: { maxKeepaliveSeconds: 120 } });
    // CONNACK return code 6 (aedes' "keep alive limit exceeded"), not a timeout or a lost socket
    const refusal: { message: unknown; code: number } = {
      message: expect.stringMatching(/^Connection refused/),
      code: 6,
    };
    await expect(RecordingClient.connect(b.url, { keepalive: 0, connectTimeout: 2_000 })).rejects.toMatchObject(
      refusal,
    );
    await expect(RecordingClient.connect(b.url, { keepalive: 121, connectTimeout: 2_000 })).rejects.toMatchObject(
      refusal,
    );
    await client(b.url, { keepalive: 120 });
  });

  it('refuses a wrong service password with "bad user name or password"', async () => {
    const b = await broker();
    await expect(RecordingClient.connect(b.url, { username: 'service', password: 'guess' })).rejects.toThrow(
      /Bad username or password/i,
    );
    expect(b.hooks.counters.connectRefused.password).toBe(1);
  });
});
