import easymidi from 'easymidi';
import type { MidiOut } from '../midi-out.js';

/** The part of easymidi this adapter uses (tests hand in a double: no MIDI system here). */
export type MidiSystem = {
  Output: new (name: string, virtual?: boolean) => Pick<easymidi.Output, 'send' | 'close'>;
  getOutputs(): string[];
};

export interface EasymidiOptions {
  /** Name of the virtual port to create (what a DAW sees). */
  portName: string;
  /** Pick an existing output whose name contains this instead of creating a virtual port. */
  match?: string;
}

const wire = (channel: number) => (channel - 1) as easymidi.Channel;

/** The system's MIDI (ALSA, CoreMIDI, WinMM) through easymidi. Throws when there is none. */
export function openEasymidi(options: EasymidiOptions, system: MidiSystem = easymidi): MidiOut {
  let port: Pick<easymidi.Output, 'send' | 'close'>;
  let name: string;
  if (options.match) {
    const outputs = system.getOutputs();
    const found = outputs.find((o) => o.toLowerCase().includes(options.match!.toLowerCase()));
    if (!found) {
      throw new Error(
        `no MIDI output matches MIDI_OUTPUT="${options.match}"; available: ${outputs.length ? outputs.join(', ') : 'none'}`,
      );
    }
    port = new system.Output(found);
    name = `midi:${found}`;
  } else {
    port = new system.Output(options.portName, true);
    name = `midi:${options.portName} (virtual)`;
  }
  return {
    name,
    noteOn: (channel, note, velocity) => port.send('noteon', { channel: wire(channel), note, velocity }),
    noteOff: (channel, note) => port.send('noteoff', { channel: wire(channel), note, velocity: 0 }),
    control: (channel, controller, value) => port.send('cc', { channel: wire(channel), controller, value }),
    program: (channel, number) => port.send('program', { channel: wire(channel), number }),
    // in the executor, a throw from close() still becomes a rejection
    close: () =>
      new Promise<void>((resolve) => {
        port.close();
        resolve();
      }),
  };
}

export type MidiOutputListing = { ok: true; outputs: string[] } | { ok: false; reason: string };

/** Output port names, or why there are none (no MIDI system on this machine). */
export function listMidiOutputs(): MidiOutputListing {
  try {
    return { ok: true, outputs: easymidi.getOutputs() };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}
