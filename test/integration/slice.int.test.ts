import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mapperEnv } from '../../services/mapper/config.js';
import { startMapper } from '../../services/mapper/mapper.js';
import { synthEnv } from '../../services/synth/config.js';
import { startSynth } from '../../services/synth/synth.js';
import type { NoteEvent, PlayedEvent, Rejection, Status } from '../../shared/contract/contract.js';
import { startTestBroker, type TestBroker } from '../helpers/broker.js';
import { testLog } from '../helpers/log.js';
import { RecordingClient } from '../helpers/mqtt-client.js';
import { RecordingOutput } from '../helpers/recording-output.js';
import { waitFor } from '../helpers/wait.js';
import { LOADED_MACHINE_STALE_MS } from '../helpers/procfile.js';

let broker: TestBroker;
let audience: RecordingClient;
let output: RecordingOutput;
let stops: (() => Promise<void>)[];

const env = (url: string) => ({ MQTT_URL: url, LOG_LEVEL: 'silent' as const, STATS_INTERVAL_MS: '200' });

beforeEach(async () => {
  broker = await startTestBroker();
  audience = await RecordingClient.connect(broker.url);
  await audience.subscribe('openwest/#');
  output = new RecordingOutput();
  const mapper = await startMapper(mapperEnv.parse(env(broker.url)), testLog('mapper'));
  const synth = await startSynth(
    synthEnv.parse({ ...env(broker.url), STALE_AFTER_MS: LOADED_MACHINE_STALE_MS }),
    testLog('synth'),
    { output },
  );
  stops = [() => mapper.stop(), () => synth.stop()];
});

afterEach(async () => {
  await Promise.all(stops.map((stop) => stop()));
  await audience.close();
  await broker.close(100);
});

describe('vertical slice in one process', () => {
  it('plays a published value: notes/1, MIDI note on and off, then played/1', async () => {
    await audience.publish('openwest/instruments/1', '62');
    const note = (await audience.next('openwest/notes/1')).json<NoteEvent>();
    expect(note).toMatchObject({ instrument: 1, value: 62, note: 62, name: 'D4', channel: 1, seq: 1 });
    const played = (await audience.next('openwest/played/1')).json<PlayedEvent>();
    expect(played).toMatchObject({ ...note, output: 'recorder' });
    expect(played.playedAt).toBeGreaterThanOrEqual(note.receivedAt);

    await waitFor('note off', () => output.sent.some((m) => m.kind === 'noteOff'));
    const notes = output.sent.filter((m) => m.kind === 'noteOn' || m.kind === 'noteOff');
    expect(notes.map(({ kind, channel, note: n }) => ({ kind, channel, note: n }))).toEqual([
      { kind: 'noteOn', channel: 1, note: 62 },
      { kind: 'noteOff', channel: 1, note: 62 },
    ]);
    const [on, off] = notes;
    expect(off!.at - on!.at).toBeGreaterThanOrEqual(note.durationMs - 5);
  });

  it('rejects bad input on errors and still plays the next valid value', async () => {
    await audience.publish('openwest/instruments/1', 'abc');
    await audience.publish('openwest/instruments/1', '64');
    const error = (await audience.next('openwest/errors')).json<Rejection>();
    expect(error).toMatchObject({ service: 'mapper', topic: 'openwest/instruments/1', payload: 'abc' });
    expect(error.reason).toMatch(/not a number/);
    expect(typeof error.at).toBe('number');
    const played = (await audience.next('openwest/played/1')).json<PlayedEvent>();
    expect(played.note).toBe(64);
    expect(audience.on('openwest/notes/1')).toHaveLength(1);
  });

  it('retains online status for every service, with pid and startedAt', async () => {
    const late = await RecordingClient.connect(broker.url);
    try {
      await late.subscribe('openwest/status/+');
      for (const service of ['mapper', 'synth']) {
        const status = await late.next(`openwest/status/${service}`);
        expect(status.retain).toBe(true);
        expect(status.json<Status>()).toMatchObject({ service, state: 'online', pid: process.pid });
      }
    } finally {
      await late.close();
    }
  });

  it('publishes the instrument table retained on config/instruments', async () => {
    const late = await RecordingClient.connect(broker.url);
    try {
      await late.subscribe('openwest/config/instruments');
      const config = await late.next('openwest/config/instruments');
      expect(config.retain).toBe(true);
      const table = config.json<{ instruments: { instrument: number; channel: number }[] }>();
      expect(table.instruments.map((i) => i.instrument)).toEqual([...Array(16).keys()].map((i) => i + 1));
    } finally {
      await late.close();
    }
  });

  it('publishes stats for mapper and synth', async () => {
    await audience.publish('openwest/instruments/2', '50');
    const stats = await audience.next('openwest/stats/mapper', (m) => m.json<{ notes: number }>().notes === 1);
    expect(stats.json()).toMatchObject({ service: 'mapper', received: 1, notes: 1, rejected: 0 });
    const synthStats = await audience.next('openwest/stats/synth', (m) => m.json<{ played: number }>().played === 1);
    expect(synthStats.json()).toMatchObject({ service: 'synth', output: 'recorder' });
  });

  it('silences every sounding note when the synth stops mid-note', async () => {
    await audience.publish('openwest/instruments/3', '60');
    await audience.next('openwest/played/3');
    expect(output.stuckNotes()).toEqual([{ channel: 3, note: 60 }]);
    await Promise.all(stops.map((stop) => stop()));
    expect(output.stuckNotes()).toEqual([]);
    expect(output.sent).toContainEqual(expect.objectContaining({ kind: 'control', channel: 3, cc: 123 }));
    expect(output.sent).toContainEqual(expect.objectContaining({ kind: 'control', channel: 3, cc: 120 }));
    const offline = await audience.next('openwest/status/synth', (m) => m.json<Status>().state === 'offline');
    expect(offline.json<Status>().pid).toBe(process.pid);
  });
});
