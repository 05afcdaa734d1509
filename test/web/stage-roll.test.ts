import { describe, expect, it } from 'vitest';
import { GUTTER_PX, pitchRange, rollGrid, stageBars, timeLabels } from '../../web/stage/roll-grid.js';

const n = (note: number, at = 0, durationMs = 500) => ({ note, name: String(note), at, durationMs });

describe('stage piano roll', () => {
  it('spans whole octaves, C to C, at least two, around the notes', () => {
    expect(pitchRange([])).toEqual({ low: 48, high: 72 });
    expect(pitchRange([n(62), n(65)])).toEqual({ low: 60, high: 84 });
    expect(pitchRange([n(36), n(79)])).toEqual({ low: 36, high: 84 });
    expect(pitchRange([n(60)])).toEqual({ low: 60, high: 84 });
    expect(pitchRange([n(0)]).low).toBe(0);
    expect(pitchRange([n(127)]).high).toBe(132);
  });

  it('has a row per semitone, Cs named, black keys marked, and a line per second', () => {
    const { rows, lines } = rollGrid({ width: 856, height: 250, low: 48, high: 72, windowMs: 8_000 });
    expect(rows).toHaveLength(25);
    expect(rows[0]).toMatchObject({ note: 72, y: 0, h: 10, label: 'C5' });
    expect(rows.filter((r) => r.label).map((r) => r.label)).toEqual(['C5', 'C4', 'C3']);
    expect(rows.find((r) => r.note === 61)?.black).toBe(true);
    expect(lines).toHaveLength(9);
    expect(lines[0]).toMatchObject({ x: 856, agoMs: 0, major: true });
    expect(lines[1]).toMatchObject({ x: 856 - 100, major: false });
    expect(lines.at(-1)?.x).toBe(GUTTER_PX);
  });

  it('starts a note at the now edge and lengthens it while it sounds, on its own row', () => {
    const area = { width: 856, height: 250, low: 48, high: 72, windowMs: 8_000 };
    const [arriving] = stageBars([n(60, 1_000, 500)], 1_000, area);
    const [sounding] = stageBars([n(60, 1_000, 500)], 1_250, area);
    const [over] = stageBars([n(60, 1_000, 500)], 3_000, area);
    expect(arriving).toMatchObject({ x: 852, w: 4, y: 120, h: 10, alpha: 1, glow: 1 });
    expect(sounding!.w).toBeCloseTo(25);
    expect(over!.x).toBeCloseTo(856 - 200);
    expect(over!.w).toBeCloseTo(50);
    expect(over!.glow).toBeLessThan(0.01);
    expect(stageBars([n(60, 0)], 8_000, area)).toEqual([]);
    const [below] = stageBars([n(20, 0)], 0, area);
    expect(below!.y).toBe(240);
  });

  it('labels the time scale from now back, in seconds', () => {
    expect(timeLabels(8_000)).toEqual([
      { at: 1, label: 'now' },
      { at: 0.75, label: '2 s ago' },
      { at: 0.5, label: '4 s ago' },
      { at: 0.25, label: '6 s ago' },
    ]);
  });
});
