import type { Instrument, InstrumentTable } from '../../shared/contract.js';

export type { Instrument };

const voice = (
  instrument: number,
  name: string,
  colour: string,
  program: number,
  overrides: Partial<Instrument> = {},
): Instrument => ({ instrument, name, colour, channel: instrument, program, velocity: 100, durationMs: 400, ...overrides });

/** The table out of the box: instrument N on MIDI channel N, the value is the MIDI note. */
export const defaultInstruments: readonly Instrument[] = [
  voice(1, 'Piano', '#f5c542', 0),
  voice(2, 'Bass', '#4287f5', 33, { durationMs: 600 }),
  voice(3, 'Strings pad', '#9b59b6', 48, { durationMs: 1200, velocity: 80 }),
  voice(4, 'Lead', '#e74c3c', 80, { durationMs: 300 }),
  voice(5, 'Vibraphone', '#1abc9c', 11),
  voice(6, 'Nylon guitar', '#d35400', 24),
  voice(7, 'Flute', '#7fdbff', 73),
  voice(8, 'Marimba', '#a0522d', 12),
  voice(9, 'Organ', '#2ecc71', 16, { durationMs: 600 }),
  voice(10, 'Drums', '#ecf0f1', 0, { durationMs: 150, velocity: 110 }),
  voice(11, 'Trumpet', '#f39c12', 56),
  voice(12, 'Choir', '#c0c0ff', 52, { durationMs: 1000, velocity: 80 }),
  voice(13, 'Electric piano', '#ff6f91', 4),
  voice(14, 'Harp', '#b8e994', 46),
  voice(15, 'Synth brass', '#ff9f43', 62),
  voice(16, 'Celesta', '#dfe6e9', 8),
];

export const tableOf = (instruments: readonly Instrument[]): InstrumentTable => ({ instruments: [...instruments] });
