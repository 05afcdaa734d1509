import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mapperEnv } from '../../services/mapper/config.js';
import { startMapper } from '../../services/mapper/mapper.js';
import { tempoSchema, type NoteEvent, type Rejection, type Tempo } from '../../shared/contract/contract.js';
import { startTestBroker, type TestBroker } from '../helpers/broker.js';
import { testLog } from '../helpers/log.js';
import { mosquittoPub } from '../helpers/mosquitto-cli.js';
import { RecordingClient } from '../helpers/mqtt-client.js';
import { waitFor } from '../helpers/wait.js';

const SERVICE_PASSWORD = 'tempo-service-secret';
const service = { username: 'service', password: SERVICE_PASSWORD };

describe('a room in time over the real broker: TEMPO_BPM, the retained tempo, quantised audience notes', () => {
  let broker: TestBroker;
  let watcher: RecordingClient;
  let stopMapper: () => Promise<void>;

  beforeEach(async () => {
    broker = await startTestBroker({ servicePassword: SERVICE_PASSWORD });
    const config = mapperEnv.parse({
      MQTT_URL: broker.url,
      LOG_LEVEL: 'silent',
      SERVICE_PASSWORD,
      TEMPO_BPM: '120',
      TEMPO_STEPS: '2',
      MQTT_SESSION: 'off',
      STATS_INTERVAL_MS: '200',
    });
    const mapper = await startMapper(config, testLog('mapper'));
    stopMapper = () => mapper.stop();
    watcher = await RecordingClient.connect(broker.url, service);
    await watcher.subscribe('openwest/#');
  });

  afterEach(async () => {
    await stopMapper();
    await watcher.close();
    await broker.close(100);
  });

  /** The retained tempo, as a page that connects now sees it. */
  const retainedTempo = async (): Promise<Tempo> => {
    const late = await RecordingClient.connect(broker.url);
    try {
      await late.subscribe('openwest/tempo');
      const message = await late.next('openwest/tempo');
      expect(message.retain).toBe(true);
      return tempoSchema.parse(message.json());
    } finally {
      await late.close();
    }
  };

  it('publishes TEMPO_BPM retained at start, and an audience note waits less than one step, with dueAt', async () => {
    const tempo = await retainedTempo();
    expect(tempo).toMatchObject({ bpm: 120, steps: 2 });
    await mosquittoPub(broker.port, 'openwest/instruments/1', '62');
    const note = (await watcher.next('openwest/notes/1')).json<NoteEvent>();
    expect(note).toMatchObject({ note: 62, source: 'audience' });
    expect(note.dueAt).toBeDefined();
    const waited = note.dueAt! - note.receivedAt;
    expect(waited).toBeGreaterThanOrEqual(0);
    expect(waited).toBeLessThan(250); // one eighth at 120 bpm
    const stats = await watcher.next(
      'openwest/stats/mapper',
      (m) => m.json<{ stepWaitMs?: { samples: number } }>().stepWaitMs?.samples === 1,
    );
    expect(stats.json<{ stepWaitMs: { max: number } }>().stepWaitMs.max).toBeLessThan(250);
  });

  it("plays the performer's notes without a wait: no dueAt", async () => {
    await watcher.publish('openwest/performer/1', '64');
    const note = (await watcher.next('openwest/notes/1')).json<NoteEvent>();
    expect(note).toMatchObject({ note: 64, source: 'performer' });
    expect(note.dueAt).toBeUndefined();
  });

  it('follows a service that turns the tempo off (empty retained payload): audience notes play at once', async () => {
    await retainedTempo();
    await watcher.publish('openwest/tempo', '', { qos: 1, retain: true });
    // Published after the tempo on the same connection, so the mapper reads it after the tempo.
    await watcher.publish('openwest/instruments/1', '60', { qos: 1 });
    const note = (await watcher.next('openwest/notes/1')).json<NoteEvent>();
    expect(note).toMatchObject({ note: 60, source: 'audience' });
    expect(note.dueAt).toBeUndefined();
  });

  it('refuses a service payload that is not a tempo with a reason on errors, and keeps the tempo', async () => {
    await retainedTempo();
    await watcher.publish('openwest/tempo', JSON.stringify({ bpm: 5000, steps: 3 }), { qos: 1 });
    const refusal = (await watcher.next('openwest/errors')).json<Rejection>();
    expect(refusal).toMatchObject({ service: 'mapper', topic: 'openwest/tempo' });
    expect(refusal.reason).toMatch(/^tempo: .*send \{"bpm"/);
    await mosquittoPub(broker.port, 'openwest/instruments/1', '62');
    const note = (await watcher.next('openwest/notes/1')).json<NoteEvent>();
    expect(note.dueAt, 'still quantised').toBeDefined();
  });

  it('attack: the audience cannot set the room’s tempo; the refusal is reported and the tempo unchanged', async () => {
    const before = await retainedTempo();
    const attack = JSON.stringify({ bpm: 300, steps: 4, since: 0 });
    await mosquittoPub(broker.port, 'openwest/tempo', attack, ['-r', '-q', '1']).catch(() => undefined);
    await mosquittoPub(broker.port, 'openwest/tempo', attack).catch(() => undefined);
    const refusals = await waitFor(
      'two refusals on errors',
      () => {
        const found = watcher
          .on('openwest/errors')
          .map((m) => m.json<Rejection>())
          .filter((r) => r.service === 'broker' && r.topic === 'openwest/tempo');
        return found.length >= 2 ? found : undefined;
      },
      10_000,
    );
    expect(refusals[0]!.reason).toMatch(/audience may only publish to openwest\/instruments/);
    expect(await retainedTempo()).toEqual(before);
    expect(watcher.on('openwest/tempo').map((m) => m.payload.toString())).not.toContain(attack);
  });
});
