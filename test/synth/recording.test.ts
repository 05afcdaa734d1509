import { parseMidi, writeMidi } from 'midi-file';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SynthCommand } from '../../services/synth/commands.js';
import { MidiRecorder } from '../../services/synth/recording/midi-recorder.js';
import { recordingPath } from '../../services/synth/recording/recording-path.js';
import { toMidiData, type TimedCommand } from '../../services/synth/recording/smf.js';
import { testLog } from '../helpers/log.js';
import { noteEvent } from '../helpers/messages.js';
import { readRecording, unmatchedNoteOns } from '../helpers/midi-recording.js';
import { waitFor } from '../helpers/wait.js';

const on = (channel: number, note: number, velocity = 100): SynthCommand => ({
  kind: 'noteOn',
  channel,
  note,
  velocity,
  event: noteEvent({ channel, note, velocity }),
});
const off = (channel: number, note: number): SynthCommand => ({ kind: 'noteOff', channel, note, reason: 'ended' });

describe('Standard MIDI File from timed commands', () => {
  it('round-trips through midi-file with real timing (1 tick = 1 ms), channels and every kind of command', () => {
    const commands: TimedCommand[] = [
      { atMs: 0, command: { kind: 'program', channel: 10, program: 0 } },
      { atMs: 0, command: on(10, 36) },
      { atMs: 250.4, command: on(1, 60, 90) },
      { atMs: 400, command: off(10, 36) },
      { atMs: 1_650.6, command: off(1, 60) },
      { atMs: 1_651, command: { kind: 'control', channel: 1, cc: 123, value: 0 } },
    ];
    const parsed = parseMidi(writeMidi(toMidiData(commands, 'test')));
    expect(parsed.header).toMatchObject({ format: 0, numTracks: 1, ticksPerBeat: 500 });
    let ticks = 0;
    const events = parsed.tracks[0]!.map((e) => ({ ...e, at: (ticks += e.deltaTime) }));
    expect(events.map((e) => e.type)).toEqual([
      'trackName',
      'setTempo',
      'programChange',
      'noteOn',
      'noteOn',
      'noteOff',
      'noteOff',
      'controller',
      'endOfTrack',
    ]);
    expect(events[1]).toMatchObject({ microsecondsPerBeat: 500_000 });
    expect(events.slice(2, 8).map((e) => [e.at, 'channel' in e ? e.channel : -1])).toEqual([
      [0, 9],
      [0, 9],
      [250, 0],
      [400, 9],
      [1651, 0],
      [1651, 0],
    ]);
    expect(events[4]).toMatchObject({ noteNumber: 60, velocity: 90 });
  });

  it('never writes a negative delta, even if times arrive out of order by rounding', () => {
    const data = toMidiData(
      [
        { atMs: 10.6, command: on(1, 60) },
        { atMs: 10.4, command: off(1, 60) },
      ],
      't',
    );
    expect(data.tracks[0]!.every((e) => e.deltaTime >= 0)).toBe(true);
  });
});

describe('where RECORD_MIDI writes', () => {
  const at = new Date('2026-11-25T16:40:03.123Z');
  it.each([
    ['take.mid', false, 'take.mid'],
    ['recordings/', false, 'recordings/openwest-2026-11-25T16-40-03.mid'],
    ['recordings', true, 'recordings/openwest-2026-11-25T16-40-03.mid'],
  ])('%s (a folder: %s) → %s', (setting, isFolder, expected) => {
    expect(recordingPath(setting, at, () => isFolder)).toBe(expected);
  });
});

describe('MIDI recorder', () => {
  let dir: string;
  let recorder: MidiRecorder | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'openwest-recorder-'));
  });
  afterEach(() => {
    recorder?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes a valid empty file at once, then flushes what was played without being closed', async () => {
    const path = join(dir, 'take.mid');
    recorder = new MidiRecorder({ path, flushEveryMs: 100, log: testLog() });
    expect(readRecording(path)).toEqual([]);
    recorder.record(on(2, 64));
    await waitFor('the periodic flush', () => readRecording(path).length === 1, 5_000);
    expect(readRecording(path)).toEqual([{ kind: 'noteOn', ms: 0, channel: 2, note: 64, velocity: 100 }]);
    expect(readdirSync(dir)).toEqual(['take.mid']);
  });

  it('on close writes everything, with the times between commands', () => {
    let now = 1_000;
    const path = join(dir, 'take.mid');
    recorder = new MidiRecorder({ path, flushEveryMs: 60_000, log: testLog(), now: () => now });
    recorder.record(on(1, 60));
    now += 300;
    recorder.record(off(1, 60));
    recorder.close();
    const events = readRecording(path);
    expect(events).toEqual([
      { kind: 'noteOn', ms: 0, channel: 1, note: 60, velocity: 100 },
      { kind: 'noteOff', ms: 300, channel: 1, note: 60 },
    ]);
    expect(unmatchedNoteOns(events)).toEqual([]);
  });

  it('a file written over many flushes holds what one written at once would: every command at its time', () => {
    let now = 5_000;
    const path = join(dir, 'take.mid');
    recorder = new MidiRecorder({ path, flushEveryMs: 60_000, log: testLog(), now: () => now });
    const timed: TimedCommand[] = [];
    for (let i = 0; i < 300; i++) {
      const command = i % 2 === 0 ? on(1 + (i % 16), 40 + (i % 50)) : off(1 + ((i - 1) % 16), 40 + ((i - 1) % 50));
      timed.push({ atMs: now - 5_000, command });
      recorder.record(command);
      now += (i * 7) % 23; // uneven gaps, some zero
      if (i % 37 === 0) recorder.flush(); // flushes at uneven points, some between an on and its off
    }
    recorder.close();
    const whole = join(dir, 'whole.mid');
    writeFileSync(whole, Uint8Array.from(writeMidi(toMidiData(timed, 'x'))));
    expect(readRecording(path)).toEqual(readRecording(whole));
    expect(readRecording(path)).toHaveLength(300);
    expect(parseMidi(readFileSync(path)).tracks[0]!.at(-1)).toMatchObject({ type: 'endOfTrack' });
  });

  it('refuses to start, naming RECORD_MIDI and the file, when the file cannot be written', () => {
    const path = join(dir, 'no-such-folder', 'take.mid');
    expect(() => new MidiRecorder({ path, flushEveryMs: 1_000, log: testLog() })).toThrow(
      new RegExp(`^RECORD_MIDI: cannot write ${path}: ENOENT`),
    );
  });
});
