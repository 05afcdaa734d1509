import { parseMidi, type MidiEvent } from 'midi-file';
import { describe, expect, it } from 'vitest';
import { TICKS_PER_BEAT } from '../../shared/contract/smf.js';
import { heardToCommands, type HeardNote } from '../../web/record/heard-notes.js';
import { PerformanceRecorder, recordingFileName, recordingText } from '../../web/record/recorder.js';
import { noteEvent } from '../helpers/messages.js';

/** Channel events with their absolute tick, from a parsed file's only track. */
function timeline(bytes: Uint8Array) {
  const midi = parseMidi(bytes);
  expect(midi.header).toMatchObject({ format: 0, numTracks: 1, ticksPerBeat: TICKS_PER_BEAT });
  let tick = 0;
  const events: (MidiEvent & { tick: number })[] = [];
  for (const e of midi.tracks[0]!) {
    tick += e.deltaTime;
    events.push({ ...e, tick });
  }
  return {
    meta: events.filter((e) => 'meta' in e),
    notes: events
      .filter((e) => e.type === 'noteOn' || e.type === 'noteOff')
      .map((e) => [e.tick, e.type, 'channel' in e ? e.channel : -1, 'noteNumber' in e ? e.noteNumber : -1]),
    programs: events.filter((e) => e.type === 'programChange').map((e) => [e.tick, e.channel, e.programNumber]),
    deltas: midi.tracks[0]!.map((e) => e.deltaTime),
  };
}

const heard = (at: number, channel: number, note: number, durationMs = 400, program = 0): HeardNote => ({
  at,
  channel,
  program,
  note,
  velocity: 100,
  durationMs,
});

describe('recording what the page heard', () => {
  it('notes in, a Standard MIDI File out: right notes, channels, order and delta times (1 tick = 1 ms)', () => {
    const recorder = new PerformanceRecorder();
    recorder.start(10_000);
    recorder.heard(noteEvent({ note: 62, channel: 1, durationMs: 400 }), 10_100);
    recorder.heard(noteEvent({ instrument: 2, note: 40, channel: 2, program: 33, durationMs: 300 }), 10_250);
    recorder.heard(noteEvent({ instrument: 10, note: 36, channel: 10, durationMs: 100 }), 10_600);
    recorder.stop();
    const { notes, programs, meta, deltas } = timeline(recorder.file('a show')!);

    expect(notes).toEqual([
      [100, 'noteOn', 0, 62],
      [250, 'noteOn', 1, 40],
      [500, 'noteOff', 0, 62],
      [550, 'noteOff', 1, 40],
      [600, 'noteOn', 9, 36],
      [700, 'noteOff', 9, 36],
    ]);
    // Each channel's program before its first note; MIDI channels 1–16 are 0–15 in the file.
    expect(programs).toEqual([
      [100, 0, 0],
      [250, 1, 33],
      [600, 9, 0],
    ]);
    expect(meta.map((e) => e.type)).toEqual(['trackName', 'setTempo', 'endOfTrack']);
    expect(meta[0]).toMatchObject({ text: 'a show' });
    expect(deltas.every((d) => d >= 0)).toBe(true);
  });

  it('keeps only what arrived while recording, and starts afresh on the next Record', () => {
    const recorder = new PerformanceRecorder();
    expect(recorder.file('x')).toBeUndefined();
    recorder.heard(noteEvent({ note: 50 }), 1); // before Record: not kept
    recorder.start(1_000);
    recorder.heard(noteEvent({ note: 60 }), 1_200);
    recorder.stop();
    recorder.heard(noteEvent({ note: 70 }), 1_300); // after Stop: not kept
    expect(timeline(recorder.file('x')!).notes.map((n) => n[3])).toEqual([60, 60]);
    expect(recordingText(recorder)).toBe('recorded 1 note');

    recorder.start(5_000);
    expect(recorder.file('x')).toBeUndefined();
    recorder.heard(noteEvent({ note: 64 }), 5_000);
    expect(timeline(recorder.file('x')!).notes).toEqual([
      [0, 'noteOn', 0, 64],
      [400, 'noteOff', 0, 64],
    ]);
    expect(recordingText(recorder)).toBe('recording: 1 note');
  });

  it('counts the notes that did not fit instead of growing without bound', () => {
    const recorder = new PerformanceRecorder(2);
    recorder.start(0);
    for (let i = 0; i < 5; i++) recorder.heard(noteEvent({ note: 60 + i }), i);
    expect([recorder.noteCount, recorder.droppedCount]).toEqual([2, 3]);
    expect(recordingText(recorder)).toBe('recording: 2 notes (3 more did not fit)');
  });

  it('ends a note struck again before it ended at the new strike, so the later one is not cut short', () => {
    const commands = heardToCommands([heard(0, 1, 60, 400), heard(100, 1, 60, 400)], 0);
    expect(commands.filter((c) => c.command.kind !== 'program').map((c) => [c.atMs, c.command.kind])).toEqual([
      [0, 'noteOn'],
      [100, 'noteOff'],
      [100, 'noteOn'],
      [500, 'noteOff'],
    ]);
  });

  it('sends a program change when a channel changes its program, and only then', () => {
    const commands = heardToCommands([heard(0, 3, 60, 10, 48), heard(50, 3, 62, 10, 48), heard(90, 3, 64, 10, 0)], 0);
    expect(commands.filter((c) => c.command.kind === 'program').map((c) => [c.atMs, c.command])).toEqual([
      [0, { kind: 'program', channel: 3, program: 48 }],
      [90, { kind: 'program', channel: 3, program: 0 }],
    ]);
  });

  it('orders notes heard out of order by time, and never writes a negative time', () => {
    const commands = heardToCommands([heard(300, 1, 64, 50), heard(100, 2, 40, 50), heard(-20, 1, 60, 50)], 0);
    expect(commands.filter((c) => c.command.kind === 'noteOn').map((c) => c.atMs)).toEqual([0, 100, 300]);
  });

  it('names the file by when it was recorded', () => {
    expect(recordingFileName(new Date('2026-11-29T17:20:05.123Z'))).toBe('openwest-2026-11-29-17-20-05.mid');
  });
});
