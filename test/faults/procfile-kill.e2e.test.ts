import { afterEach, describe, expect, it } from 'vitest';
import type { Status } from '../../shared/contract/contract.js';
import { RecordingClient } from '../helpers/mqtt-client.js';
import { freePort } from '../helpers/ports.js';
import { startProcfile, type Foreman } from '../helpers/procfile.js';
import { waitFor } from '../helpers/wait.js';

// A show of its own: it kills the synth, which the shared show (test/e2e/procfile.e2e.test.ts) must not see.
const SERVICE_PASSWORD = 'procfile-secret';
let foreman: Foreman | undefined;
let watcher: RecordingClient | undefined;
afterEach(async () => {
  await watcher?.close();
  if (foreman) await foreman.stop('SIGINT', 15_000).catch(() => foreman?.kill());
});

describe('npm start (foreman + Procfile) when a service is killed with kill -9', () => {
  it('brings that service back with offline then online, and the others play on untouched', async () => {
    const port = await freePort();
    foreman = await startProcfile({
      MQTT_PORT: String(port),
      MQTT_WS_PORT: String(await freePort()),
      BIND_HOST: '127.0.0.1',
      SYNTH_OUTPUT: 'none',
      SERVICE_PASSWORD,
      STATS_INTERVAL_MS: '60000',
    });
    const url = `mqtt://127.0.0.1:${port}`;
    watcher = await waitFor(
      'the broker',
      () =>
        RecordingClient.connect(url, { username: 'service', password: SERVICE_PASSWORD, reconnectPeriod: 200 }).catch(
          () => undefined,
        ),
      30_000,
      200,
    );
    await watcher.subscribe('openwest/status/+', 'openwest/played/+');
    const status = (service: string) => watcher!.on(`openwest/status/${service}`).map((m) => m.json<Status>());
    const online = (service: string) =>
      waitFor(`${service} online`, () => status(service).findLast((s) => s.state === 'online'), 30_000);
    const synth = await online('synth');
    const mapper = await online('mapper');

    process.kill(synth.pid, 'SIGKILL');
    await waitFor(
      'synth offline',
      () => status('synth').find((s) => s.state === 'offline' && s.pid === synth.pid),
      10_000,
    );
    const back = await waitFor(
      'synth online again',
      () => status('synth').find((s) => s.state === 'online' && s.pid !== synth.pid),
      30_000,
    );
    expect(back.pid).not.toBe(synth.pid);

    // the mapper never went offline, foreman is still running, and a value is played
    expect(status('mapper').filter((s) => s.state === 'offline')).toEqual([]);
    expect(foreman.process.exitCode).toBeNull();
    await watcher.publish('openwest/instruments/1', '62');
    const played = await watcher.next('openwest/played/1', () => true, 15_000);
    expect(played.json()).toMatchObject({ note: 62, output: 'none' });
    expect(mapper.pid).toBe((await online('mapper')).pid);

    const { code } = await foreman.stop('SIGINT', 15_000);
    foreman = undefined;
    expect(code).toBe(0);
    await waitFor(
      'everyone offline',
      () => ['mapper', 'synth'].every((s) => status(s).at(-1)?.state === 'offline'),
      5_000,
    );
  });
});
