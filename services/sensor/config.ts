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
  SENSOR_SOURCE: z
    .enum(['auto', 'serial', 'midi', 'simulate', 'none'])
    .default('auto')
    .describe(
      'auto: an Arduino found by USB vendor id (Arduino, CH340, FTDI, CP210x), else wait for one, looking every DEVICE_SCAN_MS · serial: the same, or SERIAL_PORT · midi: a USB MIDI controller · simulate: knobs that wander by themselves · none',
    ),
  SERIAL_PORT: z
    .string()
    .min(1)
    .optional()
    .describe("the Arduino's serial port; unset: found by USB vendor id")
    .meta({ example: '/dev/ttyACM0' }),
  SERIAL_BAUD: z.coerce.number().int().min(300).max(2_000_000).default(115_200).describe("the serial port's baud rate"),
  SERIAL_RETRY_MS: z.coerce
    .number()
    .int()
    .min(50)
    .max(60_000)
    .default(500)
    .describe('after an unplug, how often to try the port again, in ms'),
  DEVICE_SCAN_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(60_000)
    .default(2_000)
    .describe('how often to look for an Arduino (or a MIDI input) while there is none, in ms'),
  MIDI_INPUT: z
    .string()
    .min(1)
    .optional()
    .describe("part of the MIDI input's name; unset: the first input")
    .meta({ example: 'nanoKONTROL' }),
  MIDI_CC_KNOBS: intList(0, 127)
    .default([74, 71, 76, 77, 93, 73])
    .describe('control change numbers in knob order, the first is knob 0; values 0-127 scale to 30-90'),
  SIMULATE_KNOBS: z.coerce.number().int().min(1).max(16).default(3).describe('how many simulated knobs'),
  SIMULATE_RATE: z.coerce
    .number()
    .min(0.1)
    .max(50)
    .default(2)
    .describe('how many moves each simulated knob makes a second'),
  KNOB_INSTRUMENTS: intList(FIRST_INSTRUMENT, LAST_INSTRUMENT)
    .optional()
    .describe(
      'the instrument of each knob, in knob order (e.g. 1,1,10); knobs beyond the list play nothing; unset: knob i plays instrument i+1',
    )
    .meta({ example: '1,2,3,4,5,6' }),
  KNOB_HYSTERESIS: z.coerce
    .number()
    .min(0)
    .max(5)
    .default(0.3)
    .describe('how far (in values) past the half-way point to the next value a knob must go before its value changes'),
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
