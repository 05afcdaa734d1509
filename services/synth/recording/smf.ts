import { writeMidi, type MidiData, type MidiEvent } from 'midi-file';
import type { SynthCommand } from '../commands.js';

/** A command as it left for the output, `atMs` after the recording began. */
export interface TimedCommand {
  atMs: number;
  command: SynthCommand;
}

/** 500 ticks per beat at 120 beats per minute: one tick is one millisecond. */
export const TICKS_PER_BEAT = 500;
export const MICROSECONDS_PER_BEAT = 500_000;

const header = { format: 0, numTracks: 1, ticksPerBeat: TICKS_PER_BEAT } as const;

/** What opens the track: its name and the tempo. */
export const trackStart = (title: string): MidiEvent[] => [
  { deltaTime: 0, meta: true, type: 'trackName', text: title },
  { deltaTime: 0, meta: true, type: 'setTempo', microsecondsPerBeat: MICROSECONDS_PER_BEAT },
];

/**
 * Commands as track events at their real times (1 tick = 1 ms; channels 1–16 become 0–15),
 * continuing from `fromTick`, the time of the event before them; never a negative delta.
 */
export function toTrackEvents(
  commands: readonly TimedCommand[],
  fromTick = 0,
): { events: MidiEvent[]; lastTick: number } {
  const events: MidiEvent[] = [];
  let lastTick = fromTick;
  for (const { atMs, command } of commands) {
    const tick = Math.max(lastTick, Math.round(atMs));
    events.push(toEvent(command, tick - lastTick));
    lastTick = tick;
  }
  return { events, lastTick };
}

/** The performance as a Standard MIDI File (format 0, one track) for `midi-file`'s writer. */
export function toMidiData(commands: readonly TimedCommand[], title: string): MidiData {
  const track = [
    ...trackStart(title),
    ...toTrackEvents(commands).events,
    { deltaTime: 0, meta: true, type: 'endOfTrack' } as const,
  ];
  return { header, tracks: [track] };
}

const CHUNKS_BEFORE_EVENTS = 14 + 8; // MThd with its 6 bytes, then the MTrk chunk's type and length
const END_OF_TRACK = Uint8Array.of(0x00, 0xff, 0x2f, 0x00);

/** The bytes of track events alone (no running status), to be laid after the ones before them. */
export function encodeEvents(events: MidiEvent[]): Uint8Array {
  return Uint8Array.from(writeMidi({ header, tracks: [events] }, { running: false }).slice(CHUNKS_BEFORE_EVENTS));
}

/** A whole file from encoded events: header, one track chunk holding them all, end of track. */
export function smfBytes(encoded: readonly Uint8Array[]): Buffer {
  const length = encoded.reduce((sum, bytes) => sum + bytes.length, 0) + END_OF_TRACK.length;
  const chunkHeaders = Buffer.from(writeMidi({ header, tracks: [[]] }).slice(0, CHUNKS_BEFORE_EVENTS));
  chunkHeaders.writeUInt32BE(length, CHUNKS_BEFORE_EVENTS - 4);
  return Buffer.concat([chunkHeaders, ...encoded, END_OF_TRACK]);
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
