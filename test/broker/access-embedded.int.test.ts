import { describe, expect, it } from 'vitest';
import { REFUSED_TOPIC } from '../../services/broker/hooks.js';
import { startTestBroker, type TestBroker } from '../helpers/broker.js';
import { RecordingClient } from '../helpers/mqtt-client.js';
import { describeAccessMatrix, type BrokerUnderTest } from './access-matrix.js';

const SERVICE_PASSWORD = 'matrix-service-secret';

/** Lets the test-only `outsider` read and write anything; everyone else gets the real hooks. */
export function admitOutsider(broker: TestBroker): void {
  const { aedes } = broker;
  const publish = aedes.authorizePublish;
  const subscribe = aedes.authorizeSubscribe;
  const forward = aedes.authorizeForward;
  const isOutsider = (client: { id: string } | null) => client?.id.startsWith('outsider-') ?? false;
  aedes.authorizePublish = (client, packet, cb) => (isOutsider(client) ? cb(null) : publish(client, packet, cb));
  aedes.authorizeSubscribe = (client, sub, cb) => (isOutsider(client) ? cb(null, sub) : subscribe(client, sub, cb));
  aedes.authorizeForward = (client, packet) =>
    isOutsider(client) ? (packet.topic === REFUSED_TOPIC ? null : packet) : forward(client, packet);
}

async function embedded(): Promise<BrokerUnderTest> {
  // The matrix sends more than a phone would: the rate and flapping limits are not under test here.
  const broker = await startTestBroker({
    servicePassword: SERVICE_PASSWORD,
    limits: {
      audienceRate: { ratePerSecond: 10_000, burst: 10_000, disconnectFactor: 100, disconnectAfterSeconds: 100 },
      flapping: { maxConnects: 1000, windowMs: 60_000, banMs: 1000 },
    },
  });
  admitOutsider(broker);
  return {
    url: broker.url,
    service: { username: 'service', password: SERVICE_PASSWORD },
    outsider: { username: 'outsider', password: 'any' },
    stop: () => broker.close(100),
  };
}

describeAccessMatrix('the embedded broker', embedded, { checksRetainAndPayload: true });

describe('the embedded broker on refusals', () => {
  it('answers a subscription wholly outside the prefix with a failure SUBACK, and grants openwest/#', async () => {
    const broker = await startTestBroker({ servicePassword: SERVICE_PASSWORD });
    const phone = await RecordingClient.connect(broker.url);
    try {
      const granted = new Promise<unknown>((resolve) =>
        phone.client.on('packetreceive', (packet) => packet.cmd === 'suback' && resolve(packet.granted)),
      );
      phone.client.subscribe(['other/#', '$SYS/#', 'openwest/#', '#'], { qos: 1 });
      expect(await granted).toEqual([128, 128, 1, 1]);
      expect(broker.hooks.counters.subscribeRefused).toBe(2);
    } finally {
      await phone.close();
      await broker.close(100);
    }
  });

  it('reports a refused publish on errors with the client’s tag (not its id) and the reason, and counts it', async () => {
    const broker = await startTestBroker({ servicePassword: SERVICE_PASSWORD });
    const watcher = await RecordingClient.connect(broker.url);
    const phone = await RecordingClient.connect(broker.url, { clientId: 'phone-17' });
    try {
      await watcher.subscribe('openwest/errors');
      await phone.publish('openwest/notes/1', 'fake', { qos: 1 });
      const error = (await watcher.next('openwest/errors')).json<Record<string, unknown>>();
      expect(error.clientId).toMatch(/^c-[A-Za-z0-9_-]{8}$/);
      expect(error).toMatchObject({
        service: 'broker',
        topic: 'openwest/notes/1',
        payload: 'fake',
        reason: 'the audience may only publish to openwest/instruments/{1..16}',
      });
      expect(broker.hooks.counters.publishRefused).toBe(1);
    } finally {
      await Promise.all([watcher.close(), phone.close()]);
      await broker.close(100);
    }
  });

  it('caps reports on errors while still counting every refusal', async () => {
    const broker = await startTestBroker({ servicePassword: SERVICE_PASSWORD, limits: { errorReportsPerSecond: 5 } });
    const watcher = await RecordingClient.connect(broker.url);
    const phone = await RecordingClient.connect(broker.url);
    try {
      await watcher.subscribe('openwest/errors', 'openwest/instruments/16');
      for (let i = 0; i < 30; i++) phone.client.publish('openwest/notes/1', `n${i}`);
      await phone.publish('openwest/instruments/16', 'done', { qos: 1 });
      await watcher.next('openwest/instruments/16');
      expect(broker.hooks.counters.publishRefused).toBe(30);
      expect(watcher.on('openwest/errors').length).toBeLessThanOrEqual(6);
      expect(watcher.on('openwest/errors').length).toBeGreaterThanOrEqual(1);
      expect(broker.hooks.counters.errorReportsSuppressed).toBeGreaterThanOrEqual(24);
    } finally {
      await Promise.all([watcher.close(), phone.close()]);
      await broker.close(100);
    }
  });
});
