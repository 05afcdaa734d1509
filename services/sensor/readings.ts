/** One reading of one knob, in the units of its source (Arduino 0–1023, MIDI CC 0–127). */
export interface KnobReading {
  readonly knob: number;
  readonly raw: number;
  readonly rawMax: number;
}

/** What a knob source reports: readings, and what happened to the device behind them. */
export type SensorEvent =
  | { kind: 'reading'; reading: KnobReading }
  /** A line from the device that was counted (lines read), carrying no reading. */
  | { kind: 'line'; text: string }
  | { kind: 'malformed'; line: string; reason: string }
  | { kind: 'hello'; firmware: string; version: number; knobs: number }
  | { kind: 'attached'; device: string }
  | { kind: 'detached'; device: string; reason: string }
  /** Nothing to read yet: said once per wait, not on every retry. */
  | { kind: 'waiting'; message: string };

export const reading = (knob: number, raw: number, rawMax: number): SensorEvent => ({
  kind: 'reading',
  reading: { knob, raw, rawMax },
});
