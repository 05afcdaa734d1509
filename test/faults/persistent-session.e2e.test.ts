import { afterEach, describe, expect, it } from 'vitest';
import type { NoteEvent, PlayedEvent } from '../../shared/contract/contract.js';
import { startTestBroker, type TestBroker } from '../helpers/broker.js';
import { RecordingClient } from '../helpers/mqtt-client.js';
import { startSynthProcess, type SynthProcess } from '../helpers/synth-process.js';
import { waitFor } from '../helpers/wait.js';

const SERVICE_PASSWORD = 'session-secret';
const service = { username: 'service', password: SERVICE_PASSWORD };
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

const note = (seq: number): NoteEvent => ({
  instrument: 1,
  value: 50 + seq,
  note: 50 + seq,
  name: 'x',
  channel: 1,
  program: 0,
  velocity: 100,
  durationMs: 50,
  seq,
  receivedAt: performance.timeOrigin + performance.now(),
});

describe('a synth killed with kill -9', () => {
  it('the notes sent while it was dead are played by the next copy, which resumes its persistent session', async () => {
    const broker: TestBroker = await startTestBroker({ servicePassword: SERVICE_PASSWORD });
    cleanups.push(() => broker.close(0));
    const watcher = await RecordingClient.connect(broker.url, service);
    cleanups.push(() => watcher.close());
    await watcher.subscribe('openwest/played/+', 'openwest/status/synth');
    const env = { MQTT_URL: broker.url, SERVICE_PASSWORD, SYNTH_OUTPUT: 'none', MQTT_SESSION: 'kill-test' };
    const start = (): SynthProcess => {
      const synth = startSynthProcess(env);
      cleanups.push(() => synth.stop('SIGKILL'));
      return synth;
    };

    const first = start();
    await first.waitForLog(/persistent session synth-kill-test:/);
    await first.waitForLog('subscribed to openwest/notes/+');
    await first.stop('SIGKILL');

    const mapper = await RecordingClient.connect(broker.url, service);
    cleanups.push(() => mapper.close());
    for (let seq = 0; seq < 5; seq++) await mapper.publish('openwest/notes/1', JSON.stringify(note(seq)), { qos: 1 });
    expect(broker.hooks.counters.unheard).toBe(0);

    const second = start();
    await second.waitForLog(/persistent session synth-kill-test resumed/);
    const played = () =>
      watcher.received.filter((m) => m.topic === 'openwest/played/1').map((m) => m.json<PlayedEvent>().seq);
    await waitFor('the five notes played by the second copy', () => played().length >= 5, 15_000);
    expect(played()).toEqual([0, 1, 2, 3, 4]);
  });
});
