import easymidi from 'easymidi';

/** A control change from a MIDI controller; channel 1–16. */
export interface ControlChange {
  channel: number;
  controller: number;
  value: number;
}

/** A MIDI controller's input, as the sensor needs it: control changes and a way to let go. */
export interface MidiControllerInput {
  readonly name: string;
  onControlChange(listener: (cc: ControlChange) => void): void;
  /** false once the controller has been unplugged. */
  present(): boolean;
  close(): void;
}

/** Opens a MIDI input (the first whose name contains `match`, else the first there is); throws if none. */
export type OpenMidiInput = (match: string | undefined) => MidiControllerInput;

/** One open easymidi input port, as far as this adapter uses it. */
export interface MidiInputPort {
  on(event: 'cc', listener: (cc: easymidi.ControlChange) => void): unknown;
  close(): void;
}

/** The part of easymidi this adapter uses (tests hand in a double: no MIDI system here). */
export type MidiInputSystem = {
  Input: new (name: string) => MidiInputPort;
  getInputs(): string[];
};

/**
 * The system's MIDI inputs through easymidi. Throws `Failed to initialise RtMidi` without a MIDI
 * system, and a message naming the inputs there are when none matches.
 */
export function openEasymidiInput(match: string | undefined, system: MidiInputSystem = easymidi): MidiControllerInput {
  const inputs = system.getInputs();
  const name = match ? inputs.find((i) => i.toLowerCase().includes(match.toLowerCase())) : inputs[0];
  if (!name) {
    if (!match) throw new Error('no MIDI input found; plug a MIDI controller in');
    const available = inputs.length
      ? `available: ${inputs.join(', ')}; plug the controller in, or set MIDI_INPUT to part of one of these names`
      : 'available: none; plug the controller in';
    throw new Error(`no MIDI input matches MIDI_INPUT="${match}"; ${available}`);
  }
  const input = new system.Input(name);
  return {
    name,
    // easymidi counts channels 0–15 as on the wire; the sensor speaks 1–16.
    onControlChange: (listener) =>
      input.on('cc', (cc) => listener({ channel: cc.channel + 1, controller: cc.controller, value: cc.value })),
    present: () => {
      try {
        return system.getInputs().includes(name);
      } catch {
        return false;
      }
    },
    close: () => input.close(),
  };
}
