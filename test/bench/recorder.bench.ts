import { writeMidi } from 'midi-file';
import { bench, describe } from 'vitest';
import type { SynthCommand } from '../../services/synth/commands.js';
import {
  encodeEvents,
  smfBytes,
  toMidiData,
  toTrackEvents,
  trackStart,
  type TimedCommand,
} from '../../services/synth/recording/smf.js';
import { noteEvent } from '../helpers/messages.js';

// npx vitest bench --run test/bench/recorder.bench.ts
// One periodic write of the synth's MIDI recording (RECORD_FLUSH_MS, 2 s) an hour into a show
// at 8 notes a second: 57,600 commands so far, 32 of them new since the last write. The synth's
// event loop is blocked for the whole write, so this is jitter added to every note around it.

const on = (i: number): SynthCommand => ({
  kind: 'noteOn',
  channel: 1 + (i % 16),
  note: 40 + (i % 50),
  velocity: 100,
  event: noteEvent({}),
});
const off = (i: number): SynthCommand => ({
  kind: 'noteOff',
  channel: 1 + (i % 16),
  note: 40 + (i % 50),
  reason: 'ended',
});
const hour: TimedCommand[] = Array.from({ length: 57_600 }, (_, i) => ({
  atMs: i * 62.5,
  command: i % 2 === 0 ? on(i) : off(i - 1),
}));
const old = hour.slice(0, -32);
const fresh = hour.slice(-32);

const encodedOld = [encodeEvents(trackStart('t')), encodeEvents(toTrackEvents(old).events)];
const lastTick = toTrackEvents(old).lastTick;

describe('one recording write, an hour into a show', () => {
  bench('whole file encoded again (before)', () => {
    Uint8Array.from(writeMidi(toMidiData(hour, 't')));
  });
  bench('only the new commands encoded, the rest copied (now)', () => {
    smfBytes([...encodedOld, encodeEvents(toTrackEvents(fresh, lastTick).events)]);
  });
});
