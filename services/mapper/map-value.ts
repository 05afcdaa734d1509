import type { Instrument } from '../../shared/contract/contract.js';
import { drumKey } from '../../shared/contract/drums.js';
import { noteName } from '../../shared/contract/note-names.js';
import {
  INSTRUMENT_VALUE_MAX as MAX_VALUE,
  INSTRUMENT_VALUE_MIN as MIN_VALUE,
} from '../../shared/contract/contract.js';
import { snapToScale } from './scales.js';

type Mapping = Pick<Instrument, 'scale' | 'root' | 'transpose'>;

/**
 * A value → the MIDI note an instrument plays for it: transpose, snap to the nearest note of the
 * scale (ties go up), keep within 0–127. Drums ignore root and transpose: the value picks a
 * General MIDI percussion key.
 */
export function mapValue(instrument: Mapping, value: number): number {
  if (instrument.scale === 'drums') return drumKey(value);
  return snapToScale(Math.round(value) + instrument.transpose, instrument.scale, instrument.root);
}

/** Every value's note and name for one instrument, worked out once so playing is a lookup. */
export interface NoteLookup {
  note(value: number): number;
  name(value: number): string;
}

export function noteLookup(instrument: Mapping): NoteLookup {
  const notes: number[] = [];
  const names: string[] = [];
  for (let value = MIN_VALUE; value <= MAX_VALUE; value++) {
    notes.push(mapValue(instrument, value));
    names.push(noteName(notes[notes.length - 1]!));
  }
  return {
    note: (value) => notes[value - MIN_VALUE] ?? mapValue(instrument, value),
    name: (value) => names[value - MIN_VALUE] ?? noteName(mapValue(instrument, value)),
  };
}
