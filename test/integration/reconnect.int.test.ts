import { afterEach, describe, expect, it } from 'vitest';
import { mapperEnv } from '../../services/mapper/config.js';
import { startMapper } from '../../services/mapper/mapper.js';
import type { RunningBroker } from '../../services/broker/broker.js';
import type { Status } from '../../shared/contract/contract.js';
import { capturingLog } from '../helpers/capture-log.js';
import { startTestBroker } from '../helpers/broker.js';
import { testLog } from '../helpers/log.js';
import { RecordingClient } from '../helpers/mqtt-client.js';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/wait.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const brokerOn = (port: number) => startTestBroker({}, 'openwest', { port });

describe('reconnect', () => {
  it('republishes online and resubscribes after the broker restarts', async () => {
    const port = await freePort();
    let broker: RunningBroker = await brokerOn(port);
    const url = `mqtt://127.0.0.1:${port}`;
    const mapper = await startMapper(mapperEnv.parse({ MQTT_URL: url, LOG_LEVEL: 'silent' }), testLog());
    cleanups.push(
      () => broker.close(50),
      () => mapper.stop(),
    );

    await broker.close(50);
    broker = await brokerOn(port);
    const watcher = await RecordingClient.connect(url);
    cleanups.push(() => watcher.close());
    await watcher.subscribe('openwest/status/mapper', 'openwest/notes/+');

    const status = await watcher.next('openwest/status/mapper', (m) => m.json<Status>().state === 'online', 10_000);
    expect(status.json<Status>().pid).toBe(process.pid);
    // Resubscribed: a value published now is mapped.
    await watcher.publish('openwest/instruments/1', '60');
    expect((await watcher.next('openwest/notes/1')).json()).toMatchObject({ note: 60, name: 'C4' });
  });

  it('says so when two copies share one persistent session id and keep taking the connection from each other', async () => {
    const broker = await brokerOn(0);
    cleanups.push(() => broker.close(0));
    const config = mapperEnv.parse({
      MQTT_URL: `mqtt://127.0.0.1:${broker.port}`,
      LOG_LEVEL: 'info',
      MQTT_SESSION: 'twin',
    });
    const first = capturingLog();
    const a = await startMapper(config, first.log);
    cleanups.push(() => a.stop());
    const b = await startMapper(config, testLog());
    cleanups.push(() => b.stop());
    const line = await waitFor(
      'the warning',
      () => first.lines.find((l) => l.msg.includes('another copy of mapper')),
      15_000,
    );
    expect(line.msg).toContain('client id mapper-twin');
    expect(line.msg).toContain('MQTT_SESSION');
  });
});
