import { z } from 'zod';
import { commonEnv } from '../../shared/runtime/config.js';
import { FIRST_INSTRUMENT, LAST_INSTRUMENT } from '../../shared/contract/topics.js';

/** A comma-separated list of integers from `min` to `max`, like `74,71,76`. */
const intList = (min: number, max: number) =>
  z
    .string()
    .regex(/^\s*\d+(\s*,\s*\d+)*\s*$/, 'a comma-separated list of whole numbers, like 1,2,3')
    .transform((text) => text.split(',').map((n) => Number(n.trim())))
    .pipe(z.array(z.number().int().min(min).max(max)));

export const sensorEnv = commonEnv.extend({
  SENSOR_SOURCE: z.enum(['auto', 'serial', 'midi', 'simulate', 'none']).default('auto'),
  SERIAL_PORT: z.string().min(1).optional(),
  SERIAL_BAUD: z.coerce.number().int().min(300).max(2_000_000).default(115_200),
  SERIAL_RETRY_MS: z.coerce.number().int().min(50).max(60_000).default(500),
  DEVICE_SCAN_MS: z.coerce.number().int().min(100).max(60_000).default(2_000),
  MIDI_INPUT: z.string().min(1).optional(),
  MIDI_CC_KNOBS: intList(0, 127).default([74, 71, 76, 77, 93, 73]),
  SIMULATE_KNOBS: z.coerce.number().int().min(1).max(16).default(3),
  SIMULATE_RATE: z.coerce.number().min(0.1).max(50).default(2),
  KNOB_INSTRUMENTS: intList(FIRST_INSTRUMENT, LAST_INSTRUMENT).optional(),
  KNOB_HYSTERESIS: z.coerce.number().min(0).max(5).default(0.3),
});
export type SensorConfig = z.infer<typeof sensorEnv>;

/** KNOB_INSTRUMENTS, or by default knob i plays instrument i+1. */
export const instrumentOf =
  (knobInstruments: readonly number[] | undefined) =>
  (knob: number): number | undefined =>
    knobInstruments
      ? knobInstruments[knob]
      : knob + FIRST_INSTRUMENT <= LAST_INSTRUMENT
        ? knob + FIRST_INSTRUMENT
        : undefined;
