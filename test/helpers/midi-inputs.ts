import { EventEmitter } from 'node:events';
import type { MidiInputPort, MidiInputSystem } from '../../services/sensor/sources/midi-input.js';

/** An input port opened through {@link FakeMidiInputs}: a controller whose knobs a test turns. */
export class FakeMidiPort extends EventEmitter implements MidiInputPort {
  closed = false;

  constructor(readonly name: string) {
    super();
  }

  /** A control change as easymidi emits it: channel 0–15, as on the wire. */
  turn(controller: number, value: number, wireChannel = 0): void {
    // A closed port never delivers again: turning one is a mistake in the test.
    if (this.closed) throw new Error(`${this.name} is closed`);
    this.emit('cc', { controller, value, channel: wireChannel, _type: 'cc' });
  }

  close(): void {
    this.closed = true;
  }
}

/**
 * easymidi's inputs, shaped as easymidi is (`getInputs()`, `new Input(name)`, `cc` events),
 * because this machine has no /dev/snd: ports a test plugs in and pulls out, and RtMidi's
 * failures.
 */
export class FakeMidiInputs implements MidiInputSystem {
  /** What getInputs() lists: the controllers plugged in. */
  plugged: string[];
  /** When set, getInputs() and new Input() throw it, as easymidi does without a MIDI system. */
  failing: Error | undefined;
  /** When set, only new Input() throws it: RtMidi failing to open a port it has just listed. */
  failingToOpen: Error | undefined;
  /** Every port opened, in order. */
  readonly opened: FakeMidiPort[] = [];
  /** How many times getInputs() was called (each try to open, each check that the port is there). */
  listings = 0;
  readonly Input: new (name: string) => FakeMidiPort;

  constructor(plugged: string[] = []) {
    this.plugged = plugged;
    // What easymidi's constructor would refuse, checked before the port exists.
    const refuse = (name: string) => {
      const failure = this.failing ?? this.failingToOpen;
      if (failure) throw failure;
      // easymidi's own words when the name is not one of the ports.
      if (!this.plugged.includes(name)) throw new Error(`No MIDI input found with name: ${name}`);
    };
    const opened = this.opened;
    this.Input = class extends FakeMidiPort {
      constructor(name: string) {
        refuse(name);
        super(name);
        opened.push(this);
      }
    };
  }

  getInputs(): string[] {
    this.listings += 1;
    if (this.failing) throw this.failing;
    return [...this.plugged];
  }

  /** The port opened last; throws when none was. */
  latest(): FakeMidiPort {
    const port = this.opened.at(-1);
    if (!port) throw new Error('no MIDI input was opened');
    return port;
  }
}

/** easymidi's error from every call on a machine without a MIDI system. */
export const rtMidiFailure = () => new Error('Failed to initialise RtMidi');
