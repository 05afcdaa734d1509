import type { Instrument, InstrumentTable } from '../../shared/contract/contract.js';
import { INSTRUMENT_VALUE_MAX as MAX_VALUE, INSTRUMENT_VALUE_MIN as MIN_VALUE } from '../../shared/contract/contract.js';

export type { Instrument };

type Voice = Omit<Instrument, 'instrument' | 'channel'> & Partial<Pick<Instrument, 'channel'>>;

const voice = (instrument: number, v: Voice): Instrument => ({ instrument, channel: instrument, ...v });

/**
 * The table out of the box. Instrument N plays on MIDI channel N (so 10 is General MIDI drums).
 * Instrument 1 is the original demo: chromatic, the value is the MIDI note (62 → D4). The others
 * share one key (C major / A minor and its modes and pentatonics), so a room of strangers
 * publishing random numbers still sounds like music.
 */
export const defaultInstruments: readonly Instrument[] = [
  voice(1, { name: 'Piano', colour: '#f5c542', program: 0, velocity: 100, durationMs: 400, scale: 'chromatic', root: 'C', transpose: 0, minIntervalMs: 10 }),
  voice(2, { name: 'Bass', colour: '#4287f5', program: 33, velocity: 110, durationMs: 500, scale: 'minor-pentatonic', root: 'A', transpose: -12, minIntervalMs: 60 }),
  voice(3, { name: 'Warm pad', colour: '#9b59b6', program: 89, velocity: 80, durationMs: 2000, scale: 'major', root: 'C', transpose: 0, minIntervalMs: 150 }),
  voice(4, { name: 'Saw lead', colour: '#e74c3c', program: 81, velocity: 100, durationMs: 250, scale: 'minor-pentatonic', root: 'A', transpose: 12, minIntervalMs: 30 }),
  voice(5, { name: 'Vibraphone', colour: '#1abc9c', program: 11, velocity: 100, durationMs: 800, scale: 'major-pentatonic', root: 'C', transpose: 0, minIntervalMs: 40 }),
  voice(6, { name: 'Nylon guitar', colour: '#d35400', program: 24, velocity: 100, durationMs: 600, scale: 'natural-minor', root: 'A', transpose: 0, minIntervalMs: 40 }),
  voice(7, { name: 'Flute', colour: '#7fdbff', program: 73, velocity: 95, durationMs: 450, scale: 'dorian', root: 'D', transpose: 12, minIntervalMs: 60 }),
  voice(8, { name: 'Marimba', colour: '#a0522d', program: 12, velocity: 105, durationMs: 300, scale: 'major-pentatonic', root: 'C', transpose: 0, minIntervalMs: 30 }),
  voice(9, { name: 'Organ', colour: '#2ecc71', program: 16, velocity: 90, durationMs: 700, scale: 'mixolydian', root: 'G', transpose: 0, minIntervalMs: 60 }),
  voice(10, { name: 'Drums', colour: '#ecf0f1', program: 0, velocity: 110, durationMs: 150, scale: 'drums', root: 'C', transpose: 0, minIntervalMs: 30 }),
  voice(11, { name: 'Trumpet', colour: '#f39c12', program: 56, velocity: 100, durationMs: 350, scale: 'blues', root: 'A', transpose: 0, minIntervalMs: 60 }),
  voice(12, { name: 'Choir', colour: '#c0c0ff', program: 52, velocity: 80, durationMs: 1500, scale: 'natural-minor', root: 'A', transpose: 0, minIntervalMs: 150 }),
  voice(13, { name: 'Electric piano', colour: '#ff6f91', program: 4, velocity: 95, durationMs: 600, scale: 'dorian', root: 'D', transpose: 0, minIntervalMs: 40 }),
  voice(14, { name: 'Harp', colour: '#b8e994', program: 46, velocity: 95, durationMs: 900, scale: 'major-pentatonic', root: 'C', transpose: 0, minIntervalMs: 40 }),
  voice(15, { name: 'Synth brass', colour: '#ff9f43', program: 62, velocity: 100, durationMs: 300, scale: 'minor-pentatonic', root: 'A', transpose: 0, minIntervalMs: 60 }),
  voice(16, { name: 'Celesta', colour: '#dfe6e9', program: 8, velocity: 90, durationMs: 500, scale: 'major', root: 'C', transpose: 12, minIntervalMs: 40 }),
];

/** The payload of `config/instruments`. */
export const tableOf = (instruments: readonly Instrument[]): InstrumentTable => ({
  values: { min: MIN_VALUE, max: MAX_VALUE },
  instruments: [...instruments],
});
