import { describe, expect, it } from 'vitest';
import { instrumentSchema, instrumentTableSchema } from '../../shared/contract/contract.js';
import { defaultInstruments, tableOf } from '../../services/mapper/instruments.js';
import { mapValue } from '../../services/mapper/map-value.js';
import { noteName } from '../../shared/contract/note-names.js';

describe('default instruments', () => {
  it('has instruments 1–16, each on the MIDI channel of its number, each valid', () => {
    expect(defaultInstruments.map((i) => i.instrument)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    for (const instrument of defaultInstruments) {
      expect(instrumentSchema.parse(instrument)).toEqual(instrument);
      expect(instrument.channel).toBe(instrument.instrument);
    }
  });

  it('gives every instrument its own name and colour', () => {
    expect(new Set(defaultInstruments.map((i) => i.name)).size).toBe(16);
    expect(new Set(defaultInstruments.map((i) => i.colour.toLowerCase())).size).toBe(16);
  });

  it('makes instrument 1 the demo piano: the value is the MIDI note (62 → D4)', () => {
    const piano = defaultInstruments[0]!;
    expect(piano).toMatchObject({ program: 0, scale: 'chromatic', transpose: 0 });
    for (let value = 30; value <= 90; value++) expect(mapValue(piano, value)).toBe(value);
    expect(noteName(mapValue(piano, 62))).toBe('D4');
  });

  it('keeps every melodic instrument in one key family so random values sound together', () => {
    // C major / A minor pitch classes: C D E F G A B; blues adds its blue note (D#), harmonic minor G#.
    const family = new Set([0, 2, 4, 5, 7, 9, 11]);
    for (const instrument of defaultInstruments) {
      if (instrument.scale === 'drums' || instrument.scale === 'chromatic') continue;
      const outside = new Set<number>();
      for (let value = 30; value <= 90; value++) {
        const pc = mapValue(instrument, value) % 12;
        if (!family.has(pc)) outside.add(pc);
      }
      expect([...outside], instrument.name).toEqual(instrument.scale === 'blues' ? [3] : []);
    }
  });

  it('makes a complete config/instruments table with the value range', () => {
    const table = instrumentTableSchema.parse(tableOf(defaultInstruments));
    expect(table.values).toEqual({ min: 30, max: 90 });
    expect(table.instruments).toHaveLength(16);
  });
});
