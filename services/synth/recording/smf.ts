import type { MidiData, MidiEvent } from 'midi-file';
import type { SynthCommand } from '../commands.js';

/** A command as it left for the output, `atMs` after the recording began. */
export interface TimedCommand {
  atMs: number;
  command: SynthCommand;
}

/** 500 ticks per beat at 120 beats per minute: one tick is one millisecond. */
export const TICKS_PER_BEAT = 500;
export const MICROSECONDS_PER_BEAT = 500_000;

/**
 * The performance as a Standard MIDI File (format 0, one track) for `midi-file`'s writer: a
 * track name, the tempo, then every command at its real time (channels 1–16 become 0–15).
 */
export function toMidiData(commands: readonly TimedCommand[], title: string): MidiData {
  const track: MidiEvent[] = [
    { deltaTime: 0, meta: true, type: 'trackName', text: title },
    { deltaTime: 0, meta: true, type: 'setTempo', microsecondsPerBeat: MICROSECONDS_PER_BEAT },
  ];
  let lastTick = 0;
  for (const { atMs, command } of commands) {
    const tick = Math.max(lastTick, Math.round(atMs));
    track.push(toEvent(command, tick - lastTick));
    lastTick = tick;
  }
  track.push({ deltaTime: 0, meta: true, type: 'endOfTrack' });
  return { header: { format: 0, numTracks: 1, ticksPerBeat: TICKS_PER_BEAT }, tracks: [track] };
}

function toEvent(command: SynthCommand, deltaTime: number): MidiEvent {
  const channel = command.channel - 1;
  switch (command.kind) {
    case 'noteOn':
      return { deltaTime, type: 'noteOn', channel, noteNumber: command.note, velocity: command.velocity };
    case 'noteOff':
      return { deltaTime, type: 'noteOff', channel, noteNumber: command.note, velocity: 0 };
    case 'control':
      return { deltaTime, type: 'controller', channel, controllerType: command.cc, value: command.value };
    case 'program':
      return { deltaTime, type: 'programChange', channel, programNumber: command.program };
  }
}
