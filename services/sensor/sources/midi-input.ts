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

/** The system's MIDI inputs through easymidi. Throws `Failed to initialise RtMidi` without a MIDI system. */
export const openEasymidiInput: OpenMidiInput = (match) => {
  const inputs = easymidi.getInputs();
  const name = match ? inputs.find((i) => i.toLowerCase().includes(match.toLowerCase())) : inputs[0];
  if (!name) {
    const available = inputs.length ? inputs.join(', ') : 'none';
    throw new Error(
      match ? `no MIDI input matches MIDI_INPUT="${match}"; available: ${available}` : 'no MIDI input found',
    );
  }
  const input = new easymidi.Input(name);
  return {
    name,
    onControlChange: (listener) =>
      input.on('cc', (cc) => listener({ channel: cc.channel + 1, controller: cc.controller, value: cc.value })),
    present: () => {
      try {
        return easymidi.getInputs().includes(name);
      } catch {
        return false;
      }
    },
    close: () => input.close(),
  };
};
