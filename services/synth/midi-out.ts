/** MIDI channel as musicians count it, 1–16. Adapters convert to the wire's 0–15. */
export type Channel = number;

/** Where the synth's MIDI goes: easymidi, FluidSynth, nothing, or a test recorder. */
export interface MidiOut {
  readonly name: string;
  noteOn(channel: Channel, note: number, velocity: number): void;
  noteOff(channel: Channel, note: number): void;
  control(channel: Channel, cc: number, value: number): void;
  program(channel: Channel, program: number): void;
  close(): Promise<void>;
}

export const CC_ALL_SOUND_OFF = 120;
export const CC_ALL_NOTES_OFF = 123;
