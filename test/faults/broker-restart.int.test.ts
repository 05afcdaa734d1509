import { afterEach, describe, expect, it } from 'vitest';
import type { Status } from '../../shared/contract/contract.js';
import { defaultInstruments } from '../../services/mapper/instruments.js';
import { mapperEnv } from '../../services/mapper/config.js';
import { startMapper } from '../../services/mapper/mapper.js';
import { synthEnv } from '../../services/synth/config.js';
import { startSynth } from '../../services/synth/synth.js';
import { startTestBroker } from '../helpers/broker.js';
import { startMosquitto } from '../helpers/mosquitto.js';
import { testLog } from '../helpers/log.js';
import { RecordingClient } from '../helpers/mqtt-client.js';
import { freePort } from '../helpers/ports.js';
import { RecordingOutput } from '../helpers/recording-output.js';
import { waitFor } from '../helpers/wait.js';
import { LOADED_MACHINE_STALE_MS } from '../helpers/procfile.js';

const SERVICE_PASSWORD = 'restart-secret';
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

/** A broker that can be stopped hard and started again on the same port. */
interface RestartableBroker {
  url: string;
  crash(): Promise<void>;
  start(): Promise<void>;
}

async function embedded(): Promise<RestartableBroker> {
  const port = await freePort();
  let broker = await startTestBroker({ servicePassword: SERVICE_PASSWORD }, 'openwest', { port });
  cleanups.push(() => broker.close(0));
  return {
    url: broker.url,
    crash: () => broker.close(0),
    async start() {
      broker = await startTestBroker({ servicePassword: SERVICE_PASSWORD }, 'openwest', { port });
    },
  };
}

async function mosquitto(): Promise<RestartableBroker> {
  const port = await freePort();
  let broker = await startMosquitto('', { port });
  cleanups.push(() => broker.stop());
  return {
    url: broker.url,
    async crash() {
      const exited = new Promise((resolve) => broker.process.once('exit', resolve));
      broker.process.kill('SIGKILL');
      await exited;
      await broker.stop();
    },
    async start() {
      broker = await startMosquitto('', { port });
    },
  };
}

describe.each([
  ['the embedded broker', embedded],
  ["Debian's Mosquitto", mosquitto],
])('when %s restarts mid-performance', (_name, makeBroker) => {
  it('the synth silences what was sounding, every service reconnects, says online again, resubscribes and plays on', async () => {
    const broker = await makeBroker();
    const env = { MQTT_URL: broker.url, LOG_LEVEL: 'silent' as const, SERVICE_PASSWORD, MAX_NOTE_MS: '60000' };
    // instrument 1 holds its note for a minute: only the link dropping can end it within the test
    const instruments = defaultInstruments.map((i) => (i.instrument === 1 ? { ...i, durationMs: 60_000 } : i));
    const output = new RecordingOutput();
    const mapper = await startMapper(mapperEnv.parse(env), testLog('mapper'), { instruments });
    cleanups.push(() => mapper.stop());
    const synth = await startSynth(
      synthEnv.parse({ ...env, STALE_AFTER_MS: LOADED_MACHINE_STALE_MS }),
      testLog('synth'),
      { output },
    );
    cleanups.push(() => synth.stop());
    const watcher = await RecordingClient.connect(broker.url, {
      reconnectPeriod: 200,
      username: 'service',
      password: SERVICE_PASSWORD,
    });
    cleanups.push(() => watcher.close());
    await watcher.subscribe('openwest/status/+', 'openwest/played/+');

    await watcher.publish('openwest/instruments/1', '60');
    await watcher.next('openwest/played/1');
    expect(output.stuckNotes()).toEqual([{ channel: 1, note: 60 }]);

    await broker.crash();
    await waitFor('the synth to silence the held note', () => output.stuckNotes().length === 0);
    const statusesBefore = watcher.received.length;

    const restartedAt = performance.now();
    await broker.start();
    const online = (service: string) =>
      watcher.received
        .slice(statusesBefore)
        .find((m) => m.topic === `openwest/status/${service}` && m.json<Status>().state === 'online');
    await waitFor('mapper and synth online again', () => online('mapper') && online('synth'), 15_000);
    testLog('restart').info(
      `services online again ${Math.round(performance.now() - restartedAt)} ms after the broker restarted`,
    );

    await watcher.publish('openwest/instruments/1', '64');
    const played = await watcher.next('openwest/played/1', (m) => m.json<{ note: number }>().note === 64, 10_000);
    expect(played.json()).toMatchObject({ instrument: 1, note: 64 });
  });
});
