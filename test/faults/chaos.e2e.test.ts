import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PlayedEvent, Status } from '../../shared/contract.js';
import { defaultInstruments } from '../../services/mapper/instruments.js';
import { synthEnv } from '../../services/synth/config.js';
import { startSynth } from '../../services/synth/synth.js';
import { startTestBroker, type TestBroker } from '../helpers/broker.js';
import { testLog } from '../helpers/log.js';
import { RecordingClient } from '../helpers/mqtt-client.js';
import { freePort } from '../helpers/ports.js';
import { repoRoot } from '../helpers/procfile.js';
import { RecordingOutput } from '../helpers/recording-output.js';
import { sleep, waitFor } from '../helpers/wait.js';

const SERVICE_PASSWORD = 'chaos-secret';
const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('chaos during a score', () => {
  it('kill -9 of the mapper and a broker restart leave no stuck note, and every value is played or dropped and counted', async () => {
    const port = await freePort();
    const brokers: TestBroker[] = [];
    const startBroker = async () => {
      const b = await startTestBroker({ servicePassword: SERVICE_PASSWORD }, 'openwest', { port });
      brokers.push(b);
      return b;
    };
    let broker = await startBroker();
    cleanups.push(() => broker.close(0));

    // the mapper as on stage: its own process under the supervisor. Every instrument chromatic and
    // untransposed, so each played note names the value that caused it.
    const dir = mkdtempSync(join(tmpdir(), 'openwest-chaos-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const instrumentsFile = join(dir, 'instruments.json');
    const chromatic = Object.fromEntries(defaultInstruments.map((i) => [String(i.instrument), { scale: 'chromatic', transpose: 0 }]));
    writeFileSync(instrumentsFile, JSON.stringify({ instruments: chromatic }));
    const mapper = spawn(process.execPath, ['dist/shared/supervise.js', 'node', 'dist/services/mapper/main.js'], {
      cwd: repoRoot,
      env: { ...process.env, MQTT_URL: broker.url, SERVICE_PASSWORD, INSTRUMENTS_FILE: instrumentsFile, STANDBY_DELAY_MS: '1000', LOG_LEVEL: 'warn', LOG_FORMAT: 'json' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const mapperExited = new Promise((done) => mapper.once('exit', done));
    cleanups.push(async () => {
      mapper.kill('SIGINT');
      await mapperExited;
    });
    // the synth in this process, so its MIDI is recorded
    const output = new RecordingOutput();
    const synth = await startSynth(synthEnv.parse({ MQTT_URL: broker.url, LOG_LEVEL: 'silent', SERVICE_PASSWORD }), testLog('synth'), { output });
    cleanups.push(() => synth.stop());

    const watcher = await RecordingClient.connect(broker.url, { username: 'service', password: SERVICE_PASSWORD, reconnectPeriod: 200 });
    cleanups.push(() => watcher.close());
    await watcher.subscribe('openwest/status/+');
    const mapperStatus = () => watcher.on('openwest/status/mapper').map((m) => m.json<Status>());
    const firstMapper = await waitFor('mapper online', () => mapperStatus().find((s) => s.state === 'online'), 30_000);
    await sleep(1_500); // its warm standby loads

    // the score: (instrument, value) pairs, each unique, sent at QoS 1 by a player that reconnects
    const player = await RecordingClient.connect(broker.url, { reconnectPeriod: 200, clientId: 'score-player' });
    cleanups.push(() => player.close());
    const score = Array.from({ length: 120 }, (_, i) => ({ instrument: 1 + (i % 16), value: 30 + (i % 61) }));
    const acked: typeof score = [];
    // values sent after the kill and before the standby was online: the broker keeps them for the
    // mapper's persistent session
    const whileMapperAway: typeof score = [];
    let mapperAway = false;
    watcher.client.on('message', (topic, payload) => {
      if (topic === 'openwest/status/mapper' && mapperAway && JSON.parse(payload.toString()).state === 'online') mapperAway = false;
    });
    const sending = (async () => {
      for (const [i, step] of score.entries()) {
        if (mapperAway) whileMapperAway.push(step);
        player.publish(`openwest/instruments/${step.instrument}`, String(step.value), { qos: 1 }).then(
          () => acked.push(step),
          () => undefined,
        );
        if (i === 30) {
          process.kill(firstMapper.pid, 'SIGKILL');
          mapperAway = true;
        }
        if (i === 70) {
          await broker.close(0);
          broker = await startBroker();
        }
        await sleep(50);
      }
    })();
    await sending;
    await waitFor('every publish acknowledged', () => acked.length === score.length, 20_000);
    await waitFor('mapper online after the chaos', () => mapperStatus().findLast((s) => s.state === 'online' && s.pid !== firstMapper.pid), 20_000);

    // once the longest note has had time to end, nothing may still sound
    await sleep(Math.max(...defaultInstruments.map((i) => i.durationMs)) + 500);
    expect(output.stuckNotes()).toEqual([]);

    const played = output.sent.filter((m) => m.kind === 'noteOn').map((m) => `${m.channel}:${(m as { note: number }).note}`);
    const expected = acked.map((s) => `${s.instrument}:${s.value}`);
    const missing = expected.filter((key) => !played.includes(key));
    const unexpected = played.filter((key) => !expected.includes(key));
    // Dropped and counted by a broker: values or notes no service listened to (after the restart,
    // before the mapper or synth had subscribed again), not queued for a session that held its
    // maximum, or still held for a session when the first broker closed.
    const counters = brokers.map((b) => b.hooks.counters);
    const counted = counters.reduce((sum, c) => sum + c.unheard + c.queueDropped + c.unacknowledgedAtClose, 0);
    testLog('chaos').info(
      {
        sent: score.length,
        played: played.length,
        missing: missing.length,
        sentWhileMapperAway: whileMapperAway.length,
        counted: counters.map(({ unheard, queueDropped, unacknowledgedAtClose }) => ({ unheard, queueDropped, unacknowledgedAtClose })),
      },
      'chaos result',
    );
    expect(unexpected).toEqual([]);
    expect(missing.length).toBeLessThanOrEqual(counted);
    // the mapper's persistent session at work: what arrived while it was dead was played
    expect(whileMapperAway.length).toBeGreaterThan(0);
    expect(whileMapperAway.map((s) => `${s.instrument}:${s.value}`).filter((key) => !played.includes(key))).toEqual([]);
  });
});
