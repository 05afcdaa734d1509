import type { NoteEvent } from '../../shared/contract/contract.js';
import { CC_ALL_NOTES_OFF, type Channel, type MidiOut } from './midi-out.js';

/** Why a note was turned off; the shell counts `stolen` for stats. */
export type NoteOffReason = 'ended' | 'retriggered' | 'stolen' | 'released' | 'panic';

/** What the synth pipeline asks the output to do; the shell applies these in order. */
export type SynthCommand =
  | { kind: 'program'; channel: Channel; program: number }
  | { kind: 'noteOn'; channel: Channel; note: number; velocity: number; event: NoteEvent }
  | { kind: 'noteOff'; channel: Channel; note: number; reason: NoteOffReason }
  | { kind: 'control'; channel: Channel; cc: number; value: number };

export function apply(out: MidiOut, command: SynthCommand): void {
  switch (command.kind) {
    case 'program':
      return out.program(command.channel, command.program);
    case 'noteOn':
      return out.noteOn(command.channel, command.note, command.velocity);
    case 'noteOff':
      return out.noteOff(command.channel, command.note);
    case 'control':
      return out.control(command.channel, command.cc, command.value);
  }
}

/**
 * All Notes Off (CC 123) on every channel: what a synth sends before it plays, so notes a killed
 * predecessor left sounding on a hardware synth or DAW do not drone on.
 */
export const allNotesOff = (): SynthCommand[] =>
  Array.from({ length: 16 }, (_, i) => ({ kind: 'control' as const, channel: i + 1, cc: CC_ALL_NOTES_OFF, value: 0 }));
