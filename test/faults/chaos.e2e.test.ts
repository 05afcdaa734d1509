import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqttPacket from 'mqtt-packet';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeJson, type Status } from '../../shared/contract/contract.js';
import { mapperEnv } from '../../services/mapper/config.js';
import { defaultInstruments } from '../../services/mapper/instruments.js';
import { mapValue } from '../../services/mapper/map-value.js';
import { startMapper } from '../../services/mapper/mapper.js';
import { persistentClientId } from '../../shared/runtime/session.js';
import { audienceAddress, publishPacket } from '../bench/raw-mqtt.js';
import { synthEnv } from '../../services/synth/config.js';
import { startSynth } from '../../services/synth/synth.js';
import { startTestBroker, type TestBroker } from '../helpers/broker.js';
import { testLog } from '../helpers/log.js';
import { RecordingClient } from '../helpers/mqtt-client.js';
import { freePort } from '../helpers/ports.js';
import { repoRoot, LOADED_MACHINE_STALE_MS } from '../helpers/procfile.js';
import { RawSocket } from '../helpers/raw-socket.js';
import { RecordingOutput } from '../helpers/recording-output.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { testEnv } from '../helpers/env.js';

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
    const chromatic = Object.fromEntries(
      defaultInstruments.map((i) => [String(i.instrument), { scale: 'chromatic', transpose: 0 }]),
    );
    writeFileSync(instrumentsFile, JSON.stringify({ instruments: chromatic }));
    const mapper = spawn(
      process.execPath,
      ['dist/services/supervisor/main.js', 'node', 'dist/services/mapper/main.js'],
      {
        cwd: repoRoot,
        env: testEnv({
          MQTT_URL: broker.url,
          SERVICE_PASSWORD,
          INSTRUMENTS_FILE: instrumentsFile,
          STANDBY_DELAY_MS: '1000',
          LOG_LEVEL: 'warn',
          LOG_FORMAT: 'json',
        }),
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    const mapperExited = new Promise((done) => mapper.once('exit', done));
    cleanups.push(async () => {
      mapper.kill('SIGINT');
      await mapperExited;
    });
    // the synth in this process, so its MIDI is recorded
    const output = new RecordingOutput();
    const synth = await startSynth(
      synthEnv.parse({
        MQTT_URL: broker.url,
        LOG_LEVEL: 'silent',
        SERVICE_PASSWORD,
        STALE_AFTER_MS: LOADED_MACHINE_STALE_MS,
      }),
      testLog('synth'),
      { output },
    );
    cleanups.push(() => synth.stop());

    const watcher = await RecordingClient.connect(broker.url, {
      username: 'service',
      password: SERVICE_PASSWORD,
      reconnectPeriod: 200,
    });
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
      if (topic !== 'openwest/status/mapper' || !mapperAway) return;
      const status = decodeJson('status', payload);
      if (status.ok && status.value.state === 'online') mapperAway = false;
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
    await waitFor(
      'mapper online after the chaos',
      () => mapperStatus().findLast((s) => s.state === 'online' && s.pid !== firstMapper.pid),
      20_000,
    );

    // once the longest note has had time to end, nothing may still sound
    await sleep(Math.max(...defaultInstruments.map((i) => i.durationMs)) + 500);
    expect(output.stuckNotes()).toEqual([]);

    const played = output.sent
      .filter((m) => m.kind === 'noteOn')
      .map((m) => `${m.channel}:${(m as { note: number }).note}`);
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
        counted: counters.map(({ unheard, queueDropped, unacknowledgedAtClose }) => ({
          unheard,
          queueDropped,
          unacknowledgedAtClose,
        })),
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

describe('attacks during a performance', () => {
  it('takeovers of the mapper’s and synth’s ids, packet floods and an over-budget crowd: every performer value plays within a second, no service goes offline', async () => {
    const broker = await startTestBroker({ servicePassword: SERVICE_PASSWORD, limits: { audienceBudget: 50 } });
    cleanups.push(() => broker.close(0));
    const env = { MQTT_URL: broker.url, LOG_LEVEL: 'silent' as const, SERVICE_PASSWORD };
    const mapper = await startMapper(mapperEnv.parse(env), testLog('mapper'));
    cleanups.push(() => mapper.stop());
    const output = new RecordingOutput();
    const synth = await startSynth(synthEnv.parse(env), testLog('synth'), { output });
    cleanups.push(() => synth.stop());
    const watcher = await RecordingClient.connect(broker.url, { username: 'service', password: SERVICE_PASSWORD });
    cleanups.push(() => watcher.close());
    await watcher.subscribe('openwest/status/+');
    const performer = await RecordingClient.connect(broker.url, {
      username: 'service',
      password: SERVICE_PASSWORD,
      clientId: 'chaos-performer',
    });
    cleanups.push(() => performer.close());

    // the attackers, each from an address of its own
    let attacking = true;
    const attacks: Promise<unknown>[] = [];
    const ids = [persistentClientId('mapper', 'auto', 'openwest')!, persistentClientId('synth', 'auto', 'openwest')!];
    attacks.push(
      (async () => {
        for (let i = 0; attacking; i++) {
          const { raw } = await RawSocket.connected(broker.port, ids[i % 2]!, audienceAddress(2000 + i));
          raw.destroy();
          await sleep(100);
        }
      })(),
    );
    const flood = async (n: number, packet: Buffer) => {
      const { raw } = await RawSocket.connected(broker.port, `flood-${n}`, audienceAddress(n));
      cleanups.push(() => raw.destroy());
      raw.send(Buffer.concat(Array.from({ length: 50_000 }, () => packet)));
    };
    attacks.push(flood(3001, mqttPacket.generate({ cmd: 'pingreq' } as never)));
    attacks.push(
      flood(
        3002,
        mqttPacket.generate({
          cmd: 'subscribe',
          messageId: 1,
          subscriptions: [{ topic: 'openwest/#', qos: 0 }],
        } as never),
      ),
    );
    const phones = await Promise.all(
      Array.from({ length: 100 }, (_, i) => RawSocket.connected(broker.port, `phone-${i}`, audienceAddress(4000 + i))),
    );
    for (const { raw } of phones) cleanups.push(() => raw.destroy());
    const crowd = setInterval(() => {
      for (const [i, { raw }] of phones.entries())
        raw.send(publishPacket(`openwest/instruments/${(i % 8) + 1}`, String(40 + (i % 40))));
    }, 200);
    cleanups.push(() => clearInterval(crowd));

    // the performance: 60 values on the performer's lane, instrument 16, at QoS 1
    const sentAt = new Map<number, number>();
    for (let i = 0; i < 60; i++) {
      const value = 30 + i;
      sentAt.set(value, performance.now());
      await performer.publish('openwest/performer/16', String(value), { qos: 1 });
      await sleep(50);
    }
    attacking = false;
    clearInterval(crowd);
    await Promise.all(attacks);

    const knob = () =>
      output.sent.filter((m) => m.kind === 'noteOn' && m.channel === 16) as { note: number; at: number }[];
    await waitFor('every performer value played', () => knob().length === 60);
    const notes = defaultInstruments[15]!;
    const lateness = knob().map((m, i) => m.at - sentAt.get(30 + i)!);
    expect(knob().map((m) => m.note)).toEqual(Array.from({ length: 60 }, (_, i) => mapValue(notes, 30 + i)));
    expect(Math.max(...lateness)).toBeLessThan(1_000);
    const offline = watcher.received.filter(
      (m) => m.topic.startsWith('openwest/status/') && m.text.includes('"offline"'),
    );
    expect(offline.map((m) => m.topic)).toEqual([]);
    expect(broker.hooks.counters.connectRefused.reservedId).toBeGreaterThan(5);
    expect(broker.hooks.counters.controlRateClosed).toBe(2);
    expect(broker.hooks.admission().shed).toBeGreaterThan(0);
    testLog('chaos').info(
      { latenessMs: { max: Math.max(...lateness) }, room: broker.hooks.admission() },
      'attacks during a performance',
    );
  });
});
