import type { MidiOut } from '../../services/synth/midi-out.js';

export type RecordedMidi =
  | { kind: 'noteOn'; channel: number; note: number; velocity: number; at: number }
  | { kind: 'noteOff'; channel: number; note: number; at: number }
  | { kind: 'control'; channel: number; cc: number; value: number; at: number }
  | { kind: 'program'; channel: number; program: number; at: number };

/** A MidiOut that records exactly what the synth sent, with the time it was sent. */
export class RecordingOutput implements MidiOut {
  readonly name = 'recorder';
  readonly sent: RecordedMidi[] = [];
  closed = false;

  noteOn(channel: number, note: number, velocity: number): void {
    this.sent.push({ kind: 'noteOn', channel, note, velocity, at: performance.now() });
  }
  noteOff(channel: number, note: number): void {
    this.sent.push({ kind: 'noteOff', channel, note, at: performance.now() });
  }
  control(channel: number, cc: number, value: number): void {
    this.sent.push({ kind: 'control', channel, cc, value, at: performance.now() });
  }
  program(channel: number, program: number): void {
    this.sent.push({ kind: 'program', channel, program, at: performance.now() });
  }
  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  /** Note ons with no later note off on the same channel and note (ignoring All Notes Off). */
  stuckNotes(): { channel: number; note: number }[] {
    const sounding = new Map<string, { channel: number; note: number }>();
    for (const m of this.sent) {
      const key = 'note' in m ? `${m.channel}:${m.note}` : '';
      if (m.kind === 'noteOn') sounding.set(key, { channel: m.channel, note: m.note });
      if (m.kind === 'noteOff') sounding.delete(key);
    }
    return [...sounding.values()];
  }
}
