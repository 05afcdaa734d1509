import { writeMidi, type MidiData, type MidiEvent } from 'midi-file';

/**
 * A MIDI message as a performance records it; channels are 1–16, as on the wire of the contract.
 * Pure data, so the synth (recording what it played) and the page (recording what it heard)
 * write Standard MIDI Files the same way.
 */
export type MidiCommand =
  | { kind: 'program'; channel: number; program: number }
  | { kind: 'noteOn'; channel: number; note: number; velocity: number }
  | { kind: 'noteOff'; channel: number; note: number }
  | { kind: 'control'; channel: number; cc: number; value: number };

/** A command as it happened, `atMs` after the recording began. */
export interface TimedMidiCommand {
  atMs: number;
  command: MidiCommand;
}

/** 500 ticks per beat at 120 beats per minute: one tick is one millisecond. */
export const TICKS_PER_BEAT = 500;
export const MICROSECONDS_PER_BEAT = 500_000;

export const smfHeader = { format: 0, numTracks: 1, ticksPerBeat: TICKS_PER_BEAT } as const;

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
  commands: readonly TimedMidiCommand[],
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
export function toMidiData(commands: readonly TimedMidiCommand[], title: string): MidiData {
  const track = [
    ...trackStart(title),
    ...toTrackEvents(commands).events,
    { deltaTime: 0, meta: true, type: 'endOfTrack' } as const,
  ];
  return { header: smfHeader, tracks: [track] };
}

/** The whole file's bytes (what a browser download or a file holds). */
export const smfFileBytes = (commands: readonly TimedMidiCommand[], title: string): Uint8Array<ArrayBuffer> =>
  Uint8Array.from(writeMidi(toMidiData(commands, title)));

/** Bytes before the first track event: MThd with its 6 bytes, then the MTrk chunk's type and length. */
export const CHUNKS_BEFORE_EVENTS = 14 + 8;

/** The bytes of track events alone (no running status), to be laid after the ones before them. */
export function encodeEvents(events: MidiEvent[]): Uint8Array {
  return Uint8Array.from(
    writeMidi({ header: smfHeader, tracks: [events] }, { running: false }).slice(CHUNKS_BEFORE_EVENTS),
  );
}

function toEvent(command: MidiCommand, deltaTime: number): MidiEvent {
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
