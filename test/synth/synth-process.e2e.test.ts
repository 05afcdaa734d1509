import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NoteEvent, PlayedEvent } from '../../shared/contract/contract.js';
import { startTestBroker, type TestBroker } from '../helpers/broker.js';
import { noteEvent } from '../helpers/messages.js';
import { readRecording, unmatchedNoteOns, type RecordedEvent } from '../helpers/midi-recording.js';
import { mosquittoPub } from '../helpers/mosquitto-cli.js';
import { startMosquitto, type Mosquitto } from '../helpers/mosquitto.js';
import { RecordingClient } from '../helpers/mqtt-client.js';
import { testEnv } from '../helpers/env.js';
import { alive, repoRoot } from '../helpers/procfile.js';
import { startSynthProcess, type SynthProcess } from '../helpers/synth-process.js';
import { sleep, waitFor } from '../helpers/wait.js';

let dir: string;
let cleanups: (() => Promise<unknown>)[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'openwest-synth-process-'));
  cleanups = [];
});
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
});

async function broker(): Promise<TestBroker> {
  const b = await startTestBroker();
  cleanups.push(() => b.close(100));
  return b;
}
async function mosquitto(): Promise<Mosquitto> {
  const m = await startMosquitto();
  cleanups.push(() => m.stop());
  return m;
}
async function client(url: string): Promise<RecordingClient> {
  const c = await RecordingClient.connect(url);
  await c.subscribe('openwest/played/+', 'openwest/stats/synth');
  cleanups.push(() => c.close());
  return c;
}
async function synthProcess(url: string, recording: string, extra: Record<string, string> = {}): Promise<SynthProcess> {
  const synth = startSynthProcess({
    MQTT_URL: url,
    SYNTH_OUTPUT: 'none',
    RECORD_MIDI: recording,
    RECORD_FLUSH_MS: '200',
    ...extra,
  });
  cleanups.push(() => synth.stop('SIGKILL'));
  await synth.waitForLog('subscribed to openwest/notes/+');
  await synth.waitForLog('subscribed to openwest/panic');
  return synth;
}
async function play(audience: RecordingClient, event: NoteEvent): Promise<PlayedEvent> {
  await audience.publish(`openwest/notes/${event.instrument}`, JSON.stringify(event));
  return (
    await audience.next(`openwest/played/${event.instrument}`, (m) => m.json<PlayedEvent>().seq === event.seq, 10_000)
  ).json();
}

const notesOf = (events: RecordedEvent[]) => events.filter((e) => e.kind === 'noteOn' || e.kind === 'noteOff');
const controls = (events: RecordedEvent[], channel: number) =>
  events.filter((e) => e.kind === 'control' && e.channel === channel).map((e) => (e as { cc: number }).cc);

describe('the built synth process, recording to a Standard MIDI File', () => {
  it('records a performance sent over MQTT: same notes, order, channels, timing; every on has its off after SIGINT', async () => {
    const b = await broker();
    const audience = await client(b.url);
    const recording = join(dir, 'take.mid');
    const synth = await synthProcess(b.url, recording);

    const score = [
      { event: noteEvent({ instrument: 1, channel: 1, note: 60, durationMs: 300, seq: 1 }), restMs: 150 },
      { event: noteEvent({ instrument: 2, channel: 2, note: 64, durationMs: 200, seq: 2, program: 40 }), restMs: 150 },
      { event: noteEvent({ instrument: 10, channel: 10, note: 36, durationMs: 100, seq: 3 }), restMs: 250 },
      { event: noteEvent({ instrument: 1, channel: 1, note: 67, durationMs: 250, seq: 4 }), restMs: 0 },
    ];
    const played: PlayedEvent[] = [];
    for (const { event, restMs } of score) {
      played.push(await play(audience, event));
      await sleep(restMs); // the rests are part of the music
    }
    await waitFor(
      'every note off in the flushed recording',
      () => notesOf(readRecording(recording)).length === 8,
      10_000,
    );
    const { code } = await synth.stop('SIGINT');
    expect(code).toBe(0);

    const events = readRecording(recording);
    const ons = events.filter((e) => e.kind === 'noteOn');
    expect(ons.map((e) => [e.channel, e.note])).toEqual(score.map(({ event }) => [event.channel, event.note]));
    // Real timing: the gaps between note ons are the gaps between the played events (±5 ms: rounding to 1 ms ticks).
    ons.forEach((on, i) =>
      expect(Math.abs(on.ms - ons[0]!.ms - (played[i]!.playedAt - played[0]!.playedAt))).toBeLessThan(5),
    );
    for (const [i, on] of ons.entries()) {
      const off = events.find(
        (e) => e.kind === 'noteOff' && e.channel === on.channel && e.note === on.note && e.ms >= on.ms,
      );
      expect(off, `note off for ${on.channel}:${on.note}`).toBeDefined();
      expect(off!.ms - on.ms).toBeGreaterThanOrEqual(score[i]!.event.durationMs - 2);
      expect(off!.ms - on.ms).toBeLessThan(score[i]!.event.durationMs + 1_000);
    }
    expect(unmatchedNoteOns(events)).toEqual([]);
    expect(
      events.filter((e) => e.kind === 'program').map((e) => [e.channel, (e as { program: number }).program]),
    ).toEqual([
      [1, 0],
      [2, 40],
      [10, 0],
    ]);
    for (const channel of [1, 2, 10]) expect(controls(events, channel)).toEqual([123, 120]);
    expect(existsSync(`${recording}.tmp`)).toBe(false);
  });

  it('SIGTERM mid-note: the note is turned off, then All Notes Off and All Sound Off, and the run’s timestamped file is complete', async () => {
    const b = await broker();
    const audience = await client(b.url);
    const folder = join(dir, 'recordings');
    mkdirSync(folder);
    const synth = await synthProcess(b.url, folder); // a folder: one timestamped file per run
    await play(audience, noteEvent({ instrument: 3, channel: 3, note: 62, durationMs: 8_000, seq: 1 }));
    await play(audience, noteEvent({ instrument: 4, channel: 4, note: 50, durationMs: 8_000, seq: 1 }));

    const { code } = await synth.stop('SIGTERM');
    expect(code).toBe(0);
    const files = readdirSync(folder);
    expect(files).toEqual([expect.stringMatching(/^openwest-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.mid$/)]);
    const events = readRecording(join(folder, files[0]!));
    expect(unmatchedNoteOns(events)).toEqual([]);
    const offs = events.filter((e) => e.kind === 'noteOff');
    expect(offs.map((e) => [e.channel, e.note])).toEqual([
      [3, 62],
      [4, 50],
    ]);
    expect(Math.max(...offs.map((e) => e.ms))).toBeLessThan(8_000);
    expect(controls(events, 3)).toEqual([123, 120]);
    expect(controls(events, 4)).toEqual([123, 120]);
    expect(events.at(-1)).toMatchObject({ kind: 'control', channel: 4, cc: 120 });
  });

  it('broker killed mid-note: the synth silences at once, the recording is flushed, and survives the synth crashing too', async () => {
    const m = await mosquitto();
    const audience = await client(m.url);
    const recording = join(dir, 'broker-kill.mid');
    const synth = await synthProcess(m.url, recording);
    await play(audience, noteEvent({ instrument: 5, channel: 5, note: 70, durationMs: 9_000, seq: 1 }));

    m.process.kill('SIGKILL');
    await synth.waitForLog('panic (lost the broker)');
    // Nothing more happens now; the periodic flush alone must bring the note off to the file.
    const events = await waitFor(
      'the note off in the flushed recording',
      () => {
        const e = readRecording(recording);
        return controls(e, 5).length === 2 ? e : undefined;
      },
      10_000,
    );
    synth.process.kill('SIGKILL'); // a crash: no chance to write anything more
    await waitFor('the synth to die', () => synth.process.signalCode === 'SIGKILL');
    expect(readRecording(recording)).toEqual(events);
    expect(unmatchedNoteOns(events)).toEqual([]);
    const off = events.find((e) => e.kind === 'noteOff')!;
    expect(off).toMatchObject({ channel: 5, note: 70 });
    expect(off.ms).toBeLessThan(9_000);
    expect(controls(events, 5)).toEqual([123, 120]);
  });

  it('openwest/panic (any payload, from mosquitto_pub) silences everything, and the synth keeps playing', async () => {
    const m = await mosquitto();
    const audience = await client(m.url);
    const recording = join(dir, 'panic.mid');
    const synth = await synthProcess(m.url, recording);
    await play(audience, noteEvent({ instrument: 6, channel: 6, note: 72, durationMs: 9_000, seq: 1 }));
    await play(audience, noteEvent({ instrument: 6, channel: 6, note: 76, durationMs: 9_000, seq: 2 }));

    await mosquittoPub(m.port, 'openwest/panic', 'whatever, really');
    await synth.waitForLog('panic (openwest/panic received)');
    const next = await play(audience, noteEvent({ instrument: 7, channel: 7, note: 48, durationMs: 50, seq: 1 }));
    expect(next.note).toBe(48);
    await waitFor('the last note off in the recording', () => notesOf(readRecording(recording)).length === 6, 10_000);
    expect((await synth.stop('SIGINT')).code).toBe(0);

    const events = readRecording(recording);
    expect(unmatchedNoteOns(events)).toEqual([]);
    const panicAt = events.find((e) => e.kind === 'control')!.ms;
    expect(
      events.filter((e) => e.kind === 'noteOff' && e.ms <= panicAt).map((e) => (e as { note: number }).note),
    ).toEqual([72, 76]);
    expect(panicAt).toBeLessThan(9_000);
  });
});

describe('the synth under its supervisor', () => {
  it('supervisor killed mid-note (kill -9): the synth notices, turns its note off, silences the channel and stops; the recording is complete', async () => {
    const b = await broker();
    const audience = await client(b.url);
    await audience.subscribe('openwest/status/synth');
    const recording = join(dir, 'supervisor-kill.mid');
    const supervisor = spawn(
      process.execPath,
      [resolve(repoRoot, 'dist/services/supervisor/main.js'), 'node', resolve(repoRoot, 'dist/services/synth/main.js')],
      {
        cwd: repoRoot,
        env: testEnv({
          MQTT_URL: b.url,
          SYNTH_OUTPUT: 'none',
          RECORD_MIDI: recording,
          RECORD_FLUSH_MS: '200',
          SUPERVISE_STANDBY: '0',
          LOG_FORMAT: 'json',
        }),
        stdio: ['ignore', 'ignore', 'ignore'],
      },
    );
    const online = await audience.next('openwest/status/synth', (m) => m.text.includes('"online"'), 20_000);
    const synthPid = online.json<{ pid: number }>().pid;
    // in the executor, a kill that throws still becomes a rejection, as from the other cleanups
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          for (const pid of [supervisor.pid!, synthPid]) if (alive(pid)) process.kill(pid, 'SIGKILL');
          resolve();
        }),
    );
    // online comes before the subscriptions: send the long note until the synth plays it
    await audience.subscribe('openwest/played/5');
    let seq = 0;
    await waitFor(
      'the synth playing the note',
      async () => {
        seq += 1;
        await audience.publish(
          'openwest/notes/5',
          JSON.stringify(noteEvent({ instrument: 5, channel: 5, note: 67, durationMs: 8_000, seq })),
        );
        await sleep(300);
        return audience.on('openwest/played/5').length > 0;
      },
      20_000,
    );

    process.kill(supervisor.pid!, 'SIGKILL');
    await waitFor('the synth gone with its supervisor', () => !alive(synthPid), 10_000);
    const events = readRecording(recording);
    expect(unmatchedNoteOns(events)).toEqual([]);
    expect(controls(events, 5)).toEqual([123, 120]);
  });
});
