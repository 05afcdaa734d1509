import type { NoteEvent } from '../../shared/contract/contract.js';
import type { MidiCommand, TimedMidiCommand } from '../../shared/contract/smf.js';

/** A note event the page received while recording, and when (page clock, milliseconds). */
export interface HeardNote {
  at: number;
  channel: number;
  program: number;
  note: number;
  velocity: number;
  durationMs: number;
}

export const heardNote = (note: NoteEvent, at: number): HeardNote => ({
  at,
  channel: note.channel,
  program: note.program,
  note: note.note,
  velocity: note.velocity,
  durationMs: note.durationMs,
});

// At one instant: a program before the note it voices, a note's end before a note that starts again.
const orderAtSameTime: Record<MidiCommand['kind'], number> = { program: 0, control: 1, noteOff: 2, noteOn: 3 };

/**
 * What the page heard as timed MIDI commands from `startedAt`: each channel's program when it
 * first plays or changes, each note on at its arrival and off after its duration, as the synth
 * plays them. A note struck again on its channel before it ended ends there (the synth
 * retriggers it), so an early note's off never cuts the later one short.
 */
export function heardToCommands(notes: readonly HeardNote[], startedAt: number): TimedMidiCommand[] {
  const programByChannel = new Map<number, number>();
  const sounding = new Map<string, { endsAt: number; off: TimedMidiCommand }>();
  const commands: TimedMidiCommand[] = [];
  for (const n of [...notes].sort((a, b) => a.at - b.at)) {
    const atMs = Math.max(0, n.at - startedAt);
    if (programByChannel.get(n.channel) !== n.program) {
      programByChannel.set(n.channel, n.program);
      commands.push({ atMs, command: { kind: 'program', channel: n.channel, program: n.program } });
    }
    const key = `${n.channel}:${n.note}`;
    const before = sounding.get(key);
    if (before && before.endsAt > atMs) before.off.atMs = atMs;
    const off: TimedMidiCommand = {
      atMs: atMs + n.durationMs,
      command: { kind: 'noteOff', channel: n.channel, note: n.note },
    };
    commands.push({ atMs, command: { kind: 'noteOn', channel: n.channel, note: n.note, velocity: n.velocity } }, off);
    sounding.set(key, { endsAt: off.atMs, off });
  }
  return commands
    .map((c, index) => ({ c, index }))
    .sort(
      (a, b) =>
        a.c.atMs - b.c.atMs ||
        orderAtSameTime[a.c.command.kind] - orderAtSameTime[b.c.command.kind] ||
        a.index - b.index,
    )
    .map(({ c }) => c);
}
