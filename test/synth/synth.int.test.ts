import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { synthEnv } from '../../services/synth/config.js';
import { startSynth } from '../../services/synth/synth.js';
import type { NoteEvent, PlayedEvent } from '../../shared/contract/contract.js';
import { startTestBroker, type TestBroker } from '../helpers/broker.js';
import { capturingLog } from '../helpers/capture-log.js';
import { noteEvent } from '../helpers/messages.js';
import { RecordingClient } from '../helpers/mqtt-client.js';
import { RecordingOutput } from '../helpers/recording-output.js';
import { waitFor } from '../helpers/wait.js';

let broker: TestBroker;
let audience: RecordingClient;
let output: RecordingOutput;
let synth: Awaited<ReturnType<typeof startSynth>>;
let logged: ReturnType<typeof capturingLog>;

beforeEach(async () => {
  broker = await startTestBroker();
  audience = await RecordingClient.connect(broker.url);
  await audience.subscribe('openwest/played/+', 'openwest/stats/synth');
  output = new RecordingOutput();
  logged = capturingLog();
  const config = synthEnv.parse({ MQTT_URL: broker.url, STATS_INTERVAL_MS: '200', MAX_VOICES_PER_CHANNEL: '2' });
  synth = await startSynth(config, logged.log, { output });
  await waitFor('the synth to subscribe', () => logged.text().includes('subscribed to openwest/panic'));
});

afterEach(async () => {
  await synth.stop();
  await audience.close();
  await broker.close(100);
});

const send = (event: NoteEvent) => audience.publish(`openwest/notes/${event.instrument}`, JSON.stringify(event));

interface SynthStats {
  played: number;
  stolen: number;
  invalid: number;
  output: string;
  latencyMs?: { p50: number; p99: number; samples: number };
}

describe('synth with a recording output', () => {
  it('steals the oldest note beyond MAX_VOICES_PER_CHANNEL and reports played, stolen, output and latency in stats', async () => {
    for (const [seq, note] of [60, 64, 67].entries())
      await send(noteEvent({ note, durationMs: 2_000, seq, receivedAt: performance.timeOrigin + performance.now() }));
    await waitFor('three note ons', () => output.sent.filter((m) => m.kind === 'noteOn').length === 3);
    const notes = output.sent
      .filter((m) => m.kind !== 'program' && m.kind !== 'control')
      .map((m) => `${m.kind} ${'note' in m ? m.note : ''}`);
    expect(notes).toEqual(['noteOn 60', 'noteOn 64', 'noteOff 60', 'noteOn 67']);
    const stats = (
      await audience.next('openwest/stats/synth', (m) => m.json<SynthStats>().played === 3)
    ).json<SynthStats>();
    expect(stats).toMatchObject({ played: 3, stolen: 1, invalid: 0, output: 'recorder' });
    expect(stats.latencyMs!.samples).toBe(3);
    expect(stats.latencyMs!.p50).toBeGreaterThan(0);
    expect(stats.latencyMs!.p99).toBeGreaterThanOrEqual(stats.latencyMs!.p50);
  });

  it('sends All Notes Off (CC 123) on every channel before it plays anything: a copy taking over cannot know what was left sounding', async () => {
    const first = output.sent.slice(0, 16);
    expect(first).toMatchObject(
      Array.from({ length: 16 }, (_, i) => ({ kind: 'control', channel: i + 1, cc: 123, value: 0 })),
    );
    await send(noteEvent({ instrument: 3, channel: 3, note: 64 }));
    await waitFor('the note', () => output.sent.some((m) => m.kind === 'noteOn'));
    expect(output.sent.findIndex((m) => m.kind === 'noteOn')).toBeGreaterThanOrEqual(16);
  });

  it('drops an audience note already older than STALE_AFTER_MS and counts it; plays the performer’s just as old', async () => {
    const old = Date.now() - 500;
    await send(noteEvent({ instrument: 5, channel: 5, note: 70, receivedAt: old, source: 'audience' }));
    await send(noteEvent({ instrument: 6, channel: 6, note: 71, receivedAt: old, source: 'performer' }));
    await audience.next('openwest/played/6');
    const stats = await audience.next('openwest/stats/synth', (m) => m.json<{ stale: number }>().stale === 1);
    expect(stats.json()).toMatchObject({ stale: 1 });
    expect(output.sent.some((m) => m.kind === 'noteOn' && m.channel === 5)).toBe(false);
    expect(audience.on('openwest/played/5')).toEqual([]);
  });

  it('publishes played/N only after the note on was handed to the output', async () => {
    await send(noteEvent({ instrument: 9, channel: 9, note: 55, seq: 7 }));
    const played = (await audience.next('openwest/played/9')).json<PlayedEvent>();
    const on = output.sent.find((m) => m.kind === 'noteOn')!;
    expect(on).toMatchObject({ channel: 9, note: 55 });
    expect(played.playedAt).toBeGreaterThanOrEqual(performance.timeOrigin + on.at);
    expect(played).toMatchObject({ seq: 7, output: 'recorder' });
  });

  it('ignores a bad note event with a clear log line and keeps playing', async () => {
    await audience.publish('openwest/notes/1', '{"note": "loud"}');
    await audience.publish('openwest/notes/1', 'not json');
    await send(noteEvent({ seq: 3 }));
    await audience.next('openwest/played/1');
    expect(logged.text()).toMatch(/ignored a note event on openwest\/notes\/1: notes: instrument: /);
    expect(logged.text()).toMatch(/ignored a note event on openwest\/notes\/1: notes: payload is not JSON/);
    const stats = await audience.next('openwest/stats/synth', (m) => m.json<SynthStats>().played === 1);
    expect(stats.json<SynthStats>().invalid).toBe(2);
  });

  it('a panic on openwest/panic with an empty payload silences the sounding notes', async () => {
    await send(noteEvent({ channel: 2, instrument: 2, note: 62, durationMs: 9_000 }));
    await audience.next('openwest/played/2');
    await audience.publish('openwest/panic', '');
    await waitFor('the panic', () => output.sent.some((m) => m.kind === 'control' && m.cc === 120));
    expect(output.stuckNotes()).toEqual([]);
    // after the 16 All Notes Off every synth sends as it starts
    expect(
      output.sent
        .slice(16)
        .filter((m) => m.kind === 'control')
        .map((m) => [m.channel, 'cc' in m ? m.cc : 0]),
    ).toEqual([
      [2, 123],
      [2, 120],
    ]);
  });
});

describe('synth with an output that fails', () => {
  it('reports a refused MIDI message once and keeps serving', async () => {
    const b = await startTestBroker();
    const client = await RecordingClient.connect(b.url);
    await client.subscribe('openwest/played/+');
    const failing = new RecordingOutput();
    failing.noteOn = () => {
      throw new Error('port closed');
    };
    const { log, text } = capturingLog();
    const s = await startSynth(synthEnv.parse({ MQTT_URL: b.url }), log, { output: failing });
    try {
      await waitFor('the synth to subscribe', () => text().includes('subscribed to openwest/notes/+'));
      for (const seq of [1, 2])
        await client.publish('openwest/notes/1', JSON.stringify(noteEvent({ seq, durationMs: 10 })));
      await waitFor('both played', () => client.on('openwest/played/1').length === 2);
      expect(text().match(/recorder refused a MIDI message: port closed/g)).toHaveLength(1);
      await waitFor('the note offs still sent', () => failing.sent.filter((m) => m.kind === 'noteOff').length === 2);
    } finally {
      await s.stop();
      await client.close();
      await b.close(100);
    }
  });
});
