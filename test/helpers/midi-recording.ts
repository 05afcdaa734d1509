import { parseMidi } from 'midi-file';
import { readFileSync } from 'node:fs';

/** One channel event of a recorded Standard MIDI File, at its absolute time. */
export type RecordedEvent =
  | { kind: 'noteOn'; ms: number; channel: number; note: number; velocity: number }
  | { kind: 'noteOff'; ms: number; channel: number; note: number }
  | { kind: 'control'; ms: number; channel: number; cc: number }
  | { kind: 'program'; ms: number; channel: number; program: number };

/**
 * Parses a recording with `midi-file` into absolute-time events (channels 1–16), using the
 * file's own ticks per beat and tempo; throws if the file is not a valid SMF.
 */
export function readRecording(path: string): RecordedEvent[] {
  const data = parseMidi(readFileSync(path));
  const ticksPerBeat = data.header.ticksPerBeat;
  if (!ticksPerBeat) throw new Error(`${path}: no ticks per beat`);
  let microsecondsPerBeat = 500_000;
  let ticks = 0;
  const events: RecordedEvent[] = [];
  for (const e of data.tracks.flat()) {
    ticks += e.deltaTime;
    const ms = (ticks * microsecondsPerBeat) / ticksPerBeat / 1000;
    if (e.type === 'setTempo') microsecondsPerBeat = e.microsecondsPerBeat;
    else if (e.type === 'noteOn' && e.velocity > 0)
      events.push({ kind: 'noteOn', ms, channel: e.channel + 1, note: e.noteNumber, velocity: e.velocity });
    else if (e.type === 'noteOn' || e.type === 'noteOff')
      events.push({ kind: 'noteOff', ms, channel: e.channel + 1, note: e.noteNumber });
    else if (e.type === 'controller')
      events.push({ kind: 'control', ms, channel: e.channel + 1, cc: e.controllerType });
    else if (e.type === 'programChange')
      events.push({ kind: 'program', ms, channel: e.channel + 1, program: e.programNumber });
  }
  return events;
}

/** Note ons with no later note off for the same channel and note. */
export function unmatchedNoteOns(events: readonly RecordedEvent[]): { channel: number; note: number; ms: number }[] {
  const sounding = new Map<string, { channel: number; note: number; ms: number }>();
  for (const e of events) {
    if (e.kind !== 'noteOn' && e.kind !== 'noteOff') continue;
    const key = `${e.channel}:${e.note}`;
    if (e.kind === 'noteOn') sounding.set(key, { channel: e.channel, note: e.note, ms: e.ms });
    else sounding.delete(key);
  }
  return [...sounding.values()];
}
