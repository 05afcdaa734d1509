import { describe, expect, it } from 'vitest';
import { drumKey, FIRST_DRUM_KEY, LAST_DRUM_KEY } from '../../shared/contract/drums.js';
import { defaultInstruments } from '../../services/mapper/instruments.js';
import { mapValue } from '../../services/mapper/map-value.js';
import {
  INSTRUMENT_VALUE_MAX as MAX_VALUE,
  INSTRUMENT_VALUE_MIN as MIN_VALUE,
} from '../../shared/contract/contract.js';

const values = Array.from({ length: MAX_VALUE - MIN_VALUE + 1 }, (_, i) => MIN_VALUE + i);

describe('drums', () => {
  it('maps the lowest value to the bass drum and the highest to the open triangle', () => {
    expect(drumKey(30)).toBe(35);
    expect(drumKey(90)).toBe(81);
    expect([FIRST_DRUM_KEY, LAST_DRUM_KEY]).toEqual([35, 81]);
  });

  it('sends every value to a General MIDI percussion key, low values to low drums', () => {
    const keys = values.map(drumKey);
    for (const key of keys) {
      expect(key).toBeGreaterThanOrEqual(35);
      expect(key).toBeLessThanOrEqual(81);
    }
    expect(keys).toEqual([...keys].sort((a, b) => a - b));
  });

  it('reaches every drum sound from 35 to 81', () => {
    const reached = new Set(values.map(drumKey));
    expect([...reached].sort((a, b) => a - b)).toEqual(Array.from({ length: 47 }, (_, i) => 35 + i));
  });

  it('is instrument 10 on MIDI channel 10, ignoring transpose', () => {
    const drums = defaultInstruments[9]!;
    expect(drums).toMatchObject({ instrument: 10, channel: 10, scale: 'drums' });
    expect(mapValue({ ...drums, transpose: 24 }, 62)).toBe(drumKey(62));
  });
});
