import { afterEach, describe, expect, it } from 'vitest';
import { startTestBroker, type TestBroker } from '../helpers/broker.js';
import { RecordingClient } from '../helpers/mqtt-client.js';
import { waitFor } from '../helpers/wait.js';

const SERVICE_PASSWORD = 'sessions-secret';
const service = { username: 'service', password: SERVICE_PASSWORD };
const brokers: TestBroker[] = [];
const clients: RecordingClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  for (const b of brokers.splice(0)) await b.close(0);
});

async function broker(maxQueuedPerSession?: number): Promise<TestBroker> {
  const b = await startTestBroker({
    servicePassword: SERVICE_PASSWORD,
    ...(maxQueuedPerSession ? { limits: { maxQueuedPerSession } } : {}),
  });
  brokers.push(b);
  return b;
}

async function connect(
  b: TestBroker,
  options: Parameters<typeof RecordingClient.connect>[1] = {},
): Promise<RecordingClient> {
  const c = await RecordingClient.connect(b.url, options);
  clients.push(c);
  return c;
}

/** A mapper-like listener with a persistent session, subscribed at QoS 1, then gone without a word. */
async function listenerThatDies(b: TestBroker, clientId: string): Promise<void> {
  const mapper = await connect(b, { ...service, clientId, clean: false });
  await mapper.subscribe('openwest/instruments/+');
  mapper.client.end(true); // no DISCONNECT, as after kill -9
  await waitFor(
    'the broker to see it gone',
    () => !(b.aedes as unknown as { clients: Record<string, unknown> }).clients[clientId],
  );
}

const values = (c: RecordingClient) =>
  c.received.filter((m) => m.topic.startsWith('openwest/instruments/')).map((m) => m.text);

describe('persistent sessions (clean: false, QoS 1)', () => {
  it('keep what arrives while the client is away and deliver it when the same client id comes back', async () => {
    const b = await broker();
    await listenerThatDies(b, 'mapper-test');
    const phone = await connect(b);
    for (const v of ['40', '41', '42']) await phone.publish('openwest/instruments/1', v, { qos: 1 });

    const back = await connect(b, { ...service, clientId: 'mapper-test', clean: false });
    await waitFor('the queued values', () => values(back).length === 3);
    expect(values(back)).toEqual(['40', '41', '42']);
    expect(b.hooks.counters.unheard).toBe(0);
    expect(b.hooks.counters.queueDropped).toBe(0);
  });

  it('hold at most MAX_QUEUED_PER_SESSION messages for a client that is away; the rest are dropped and counted', async () => {
    const b = await broker(3);
    await listenerThatDies(b, 'mapper-bounded');
    const phone = await connect(b);
    for (let v = 40; v < 45; v++) await phone.publish('openwest/instruments/1', String(v), { qos: 1 });
    expect(b.hooks.counters.queueDropped).toBe(2);

    const back = await connect(b, { ...service, clientId: 'mapper-bounded', clean: false });
    await waitFor('the queued values', () => values(back).length === 3);
    // once connected, the bound no longer applies: messages in flight are kept until acknowledged
    for (let v = 50; v < 55; v++) await phone.publish('openwest/instruments/1', String(v), { qos: 1 });
    await waitFor('the live values', () => values(back).length === 8);
    expect(values(back)).toEqual(['40', '41', '42', '50', '51', '52', '53', '54']);
    expect(b.hooks.counters.queueDropped).toBe(2);
  });

  it('unheard: a value for a service away with a persistent session is kept, not unheard; after the service unsubscribed it is unheard', async () => {
    const b = await broker();
    const phone = await connect(b);
    await listenerThatDies(b, 'mapper-away');
    await phone.publish('openwest/instruments/1', '40', { qos: 1 });
    expect(b.hooks.counters.unheard).toBe(0);

    const back = await connect(b, { ...service, clientId: 'mapper-away', clean: false });
    await waitFor('the kept value', () => values(back).length === 1);
    await back.client.unsubscribeAsync('openwest/instruments/+');
    await back.close();
    await phone.publish('openwest/instruments/1', '41', { qos: 1 });
    await waitFor('the value counted as unheard', () => b.hooks.counters.unheard === 1);
  });

  it('unheard: a QoS 0 value for a service away is not kept, so it is counted as unheard', async () => {
    const b = await broker();
    await listenerThatDies(b, 'mapper-qos0');
    const knob = await connect(b);
    await knob.publish('openwest/instruments/1', '40', { qos: 0 });
    await waitFor('the value counted as unheard', () => b.hooks.counters.unheard === 1);
    const back = await connect(b, { ...service, clientId: 'mapper-qos0', clean: false });
    await knob.publish('openwest/instruments/1', '41', { qos: 0 });
    await waitFor('the live value', () => values(back).length === 1);
    expect(values(back)).toEqual(['41']);
    expect(b.hooks.counters.unheard).toBe(1);
  });

  it('a session coming back while values stream in keeps its connection (aedes races its queue against live deliveries)', async () => {
    const b = await broker();
    const errors: string[] = [];
    b.aedes.on('clientError', (_client, error) => errors.push(error.message));
    const phone = await connect(b, service);
    for (let trial = 0; trial < 10; trial++) {
      const id = `mapper-race-${trial}`;
      await listenerThatDies(b, id);
      for (let v = 0; v < 4; v++) await phone.publish('openwest/instruments/1', String(40 + v), { qos: 1 });
      let streaming = true;
      const stream = (async () => {
        while (streaming) {
          void phone.publish('openwest/instruments/1', '50', { qos: 1 });
          await new Promise((r) => setTimeout(r, 5));
        }
      })();
      const back = await connect(b, { ...service, clientId: id, clean: false });
      await waitFor('the kept values and some live ones', () => values(back).length >= 8);
      streaming = false;
      await stream;
      expect(back.client.connected).toBe(true);
      // the kept ones may interleave with live ones (aedes sends both at once)
      expect(values(back)).toEqual(expect.arrayContaining(['40', '41', '42', '43']));
      await back.client.unsubscribeAsync('openwest/instruments/+');
    }
    expect(errors).toEqual([]);
  });

  it('an audience client always gets a clean session: nothing is kept for a phone that asked for a persistent one', async () => {
    const b = await broker();
    const phone = await connect(b, { clientId: 'phone-1', clean: false });
    await phone.subscribe('openwest/notes/+');
    phone.client.end(true);
    await waitFor(
      'the phone gone',
      () => !(b.aedes as unknown as { clients: Record<string, unknown> }).clients['phone-1'],
    );
    const mapper = await connect(b, service);
    await mapper.publish('openwest/notes/1', '{"kept":false}', { qos: 1 });

    let sessionPresent: boolean | undefined;
    const back = await connect(b, { clientId: 'phone-1', clean: false });
    back.client.on('connect', (connack) => (sessionPresent = connack.sessionPresent));
    back.client.reconnect();
    await waitFor('the reconnect', () => sessionPresent !== undefined);
    expect(sessionPresent).toBe(false);
    await back.subscribe('openwest/notes/+');
    await mapper.publish('openwest/notes/1', '{"live":true}', { qos: 1 });
    await waitFor('the live note', () => back.received.length === 1);
    expect(back.received.map((m) => m.text)).toEqual(['{"live":true}']);
  });

  it('unheard: a clean-session service that left listens no more', async () => {
    const b = await broker();
    const synth = await connect(b, { ...service });
    await synth.subscribe('openwest/notes/+');
    const mapper = await connect(b, { ...service });
    await mapper.publish('openwest/notes/1', '{}', { qos: 1 });
    expect(b.hooks.counters.unheard).toBe(0);
    await synth.close();
    await waitFor('the synth gone', () => b.aedes.connectedClients === 1);
    await mapper.publish('openwest/notes/1', '{}', { qos: 1 });
    expect(b.hooks.counters.unheard).toBe(1);
  });

  it('close: what the broker still holds for persistent sessions is counted as unacknowledged at close', async () => {
    const b = await broker();
    await listenerThatDies(b, 'mapper-never-back');
    const phone = await connect(b);
    for (const v of ['40', '41']) await phone.publish('openwest/instruments/1', v, { qos: 1 });
    await phone.close();
    brokers.splice(brokers.indexOf(b), 1);
    await b.close(0);
    expect(b.hooks.counters.unacknowledgedAtClose).toBe(2);
  });
});
