import { afterEach, describe, expect, it } from 'vitest';
import type { Status } from '../../shared/contract/contract.js';
import { reportStatus, startTestBroker } from '../helpers/broker.js';
import { RecordingClient } from '../helpers/mqtt-client.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('the broker reports on itself', () => {
  it('status online, and stats counting connections, publishes and refusals; offline and final stats on stop', async () => {
    const broker = await startTestBroker({ servicePassword: 'status-secret' });
    cleanups.push(() => broker.close(0));
    const status = reportStatus(broker, 100);
    const watcher = await RecordingClient.connect(broker.url, { username: 'service', password: 'status-secret' });
    cleanups.push(() => watcher.close());
    await watcher.subscribe('openwest/status/broker', 'openwest/stats/broker');
    expect((await watcher.next('openwest/status/broker')).json<Status>()).toMatchObject({
      service: 'broker',
      state: 'online',
      pid: process.pid,
    });

    const phone = await RecordingClient.connect(broker.url);
    cleanups.push(() => phone.close());
    await phone.publish('openwest/instruments/1', '62', { qos: 1 });
    await phone.publish('openwest/notes/1', '{}', { qos: 1 }); // not the audience's to publish
    const stats = await watcher.next(
      'openwest/stats/broker',
      (m) => m.json<{ publishRefused: number }>().publishRefused === 1,
    );
    expect(stats.json()).toMatchObject({
      service: 'broker',
      connections: 2,
      connects: 2,
      publishes: 2,
      publishRefused: 1,
    });

    await status.stop();
    await watcher.next('openwest/status/broker', (m) => m.json<Status>().state === 'offline');
  });
});
