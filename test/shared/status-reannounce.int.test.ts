import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import type { Status } from '../../shared/contract/contract.js';
import { startService, type Service } from '../../shared/runtime/service.js';
import { configFor, startTestBroker, type TestBroker } from '../helpers/broker.js';
import { testLog } from '../helpers/log.js';
import { RecordingClient } from '../helpers/mqtt-client.js';
import { sleep, waitFor } from '../helpers/wait.js';

const STATUS = 'openwest/status/mapper';

let broker: TestBroker | undefined;
const services: Service[] = [];
const clients: RecordingClient[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.stop()));
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await broker?.close(0);
  broker = undefined;
});

async function client(url: string, options: mqtt.IClientOptions = {}): Promise<RecordingClient> {
  const c = await RecordingClient.connect(url, options);
  clients.push(c);
  return c;
}

async function service(url: string): Promise<Service> {
  const s = await startService('mapper', configFor(url), testLog());
  services.push(s);
  return s;
}

/** What a newcomer (the page) reads as the retained status now: a fresh subscription's retained message. */
async function retainedStatus(url: string): Promise<Status> {
  const reader = await RecordingClient.connect(url);
  try {
    await reader.subscribe(STATUS);
    return (await reader.next(STATUS, (m) => m.retain)).json<Status>();
  } finally {
    await reader.close();
  }
}

const offlineFrom = (pid: number, startedAt = 1_700_000_000_000) =>
  JSON.stringify({ service: 'mapper', state: 'offline', pid, startedAt } satisfies Status);

describe('a running service re-announces a stale offline status', () => {
  it('a retained offline published for it (as a duplicate’s will) becomes online again, with its own pid', async () => {
    broker = await startTestBroker();
    await service(broker.url);
    const watcher = await client(broker.url);
    await watcher.subscribe(STATUS);
    await watcher.next(STATUS, (m) => m.json<Status>().state === 'online');

    const other = await client(broker.url);
    await other.publish(STATUS, offlineFrom(process.pid + 1), { qos: 1, retain: true });

    const after = await watcher.next(
      STATUS,
      (m) =>
        m.json<Status>().state === 'online' && watcher.on(STATUS).some((e) => e.json<Status>().state === 'offline'),
    );
    expect(after.json<Status>()).toMatchObject({ state: 'online', pid: process.pid });
    await waitFor(
      'the retained status to say online',
      async () => (await retainedStatus(broker!.url)).state === 'online',
    );
    expect(await retainedStatus(broker.url)).toMatchObject({ service: 'mapper', state: 'online', pid: process.pid });
  });

  it('a duplicate copy that dies without a goodbye (its Last Will says offline) leaves the status online', async () => {
    broker = await startTestBroker();
    const running = await service(broker.url);
    // The duplicate: same status topic, an offline Last Will, then its socket cut so the broker sends the will.
    const duplicate = mqtt.connect(broker.url, {
      protocolVersion: 4,
      reconnectPeriod: 0,
      keepalive: 10,
      will: { topic: STATUS, payload: Buffer.from(offlineFrom(999_999)), qos: 1, retain: true },
    });
    await new Promise<void>((resolve) => duplicate.once('connect', () => resolve()));
    const watcher = await client(broker.url);
    await watcher.subscribe(STATUS);
    duplicate.stream.destroy();

    await watcher.next(STATUS, (m) => m.json<Status>().pid === 999_999);
    await waitFor(
      'the running copy to answer the will',
      () => watcher.on(STATUS).at(-1)?.json<Status>().state === 'online',
    );
    expect(await retainedStatus(broker.url)).toMatchObject({ state: 'online', pid: process.pid });
    // The running copy is unaffected: still connected, status included.
    let connected = false;
    running.connected$.subscribe((up) => (connected = up)).unsubscribe();
    expect(connected).toBe(true);
    duplicate.end(true);
  });

  it('two live copies answer one stale offline once each and then stay quiet: they do not fight', async () => {
    broker = await startTestBroker();
    await service(broker.url);
    await service(broker.url);
    const watcher = await client(broker.url);
    await watcher.subscribe(STATUS);
    await watcher.next(STATUS, (m) => m.retain);
    await (await client(broker.url)).publish(STATUS, offlineFrom(1), { qos: 1, retain: true });

    const answers = () => watcher.on(STATUS).filter((m) => !m.retain && m.json<Status>().state === 'online');
    await waitFor('both copies to answer', () => new Set(answers().map((m) => m.json<Status>().startedAt)).size === 2);
    const seen = watcher.on(STATUS).length;
    await sleep(2_500); // longer than two re-announce intervals: a fight would show here
    expect(watcher.on(STATUS).length).toBe(seen);
    expect((await retainedStatus(broker.url)).state).toBe('online');
  });

  it('answers its own Last Will too when the broker publishes it late, after this copy is back (not stopping)', async () => {
    broker = await startTestBroker();
    await service(broker.url);
    const watcher = await client(broker.url);
    await watcher.subscribe(STATUS);
    const own = (await watcher.next(STATUS, (m) => m.json<Status>().state === 'online')).json<Status>();
    // Its own will, word for word, as the broker sends it when it notices an old connection of
    // this very process late (a half-open socket taken over by the reconnect).
    await (
      await client(broker.url)
    ).publish(STATUS, JSON.stringify({ ...own, state: 'offline' }), {
      qos: 1,
      retain: true,
    });
    await waitFor(
      'the answer',
      () => watcher.on(STATUS).at(-1)?.json<Status>().state === 'online' && watcher.on(STATUS).length >= 3,
    );
    expect(await retainedStatus(broker.url)).toEqual(own);
  });

  it('a service that stops leaves its offline in place (it does not answer its own goodbye)', async () => {
    broker = await startTestBroker();
    const running = await service(broker.url);
    const watcher = await client(broker.url);
    await watcher.subscribe(STATUS);
    await watcher.next(STATUS, (m) => m.json<Status>().state === 'online');
    await running.stop();
    await watcher.next(STATUS, (m) => m.json<Status>().state === 'offline');
    await sleep(1_500);
    expect(watcher.on(STATUS).at(-1)?.json<Status>().state).toBe('offline');
    expect((await retainedStatus(broker.url)).state).toBe('offline');
  });
});
