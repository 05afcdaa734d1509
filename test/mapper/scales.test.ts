import { describe, expect, it } from 'vitest';
import { NOTE_ROOTS, SCALE_NAMES } from '../../shared/contract/contract.js';
import { mapValue } from '../../services/mapper/map-value.js';
import { pitchClassesOf, SCALE_STEPS, snapToScale } from '../../services/mapper/scales.js';

const C = 60;

describe('scales', () => {
  it('offers at least the scales the issue names, and drums', () => {
    expect(SCALE_NAMES).toEqual(
      expect.arrayContaining([
        'chromatic',
        'major',
        'natural-minor',
        'major-pentatonic',
        'minor-pentatonic',
        'blues',
        'dorian',
        'drums',
      ]),
    );
  });

  it.each([
    ['chromatic', 'C', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]],
    ['major', 'C', [0, 2, 4, 5, 7, 9, 11]],
    ['major', 'G', [0, 2, 4, 6, 7, 9, 11]],
    ['natural-minor', 'A', [0, 2, 4, 5, 7, 9, 11]],
    ['major-pentatonic', 'C', [0, 2, 4, 7, 9]],
    ['minor-pentatonic', 'A', [0, 2, 4, 7, 9]],
    ['blues', 'A', [0, 2, 3, 4, 7, 9]],
    ['dorian', 'D', [0, 2, 4, 5, 7, 9, 11]],
    ['harmonic-minor', 'A', [0, 2, 4, 5, 8, 9, 11]],
    ['mixolydian', 'G', [0, 2, 4, 5, 7, 9, 11]],
  ] as const)('%s on %s holds pitch classes %j', (scale, root, classes) => {
    const inScale = pitchClassesOf(scale, root);
    expect(inScale.flatMap((yes, pc) => (yes ? [pc] : []))).toEqual(classes);
  });

  it.each([
    // note, scale, root, expected
    [C + 1, 'major', 'C', C + 2], // C#: C and D both 1 away → up to D
    [C + 6, 'major', 'C', C + 7], // F#: F and G both 1 away → up to G
    [C + 4, 'major', 'C', C + 4], // E is in C major
    [C + 10, 'major', 'C', C + 11], // A#: tie A/B → B
    [C + 1, 'minor-pentatonic', 'A', C + 2], // A C D E G: C# is between C and D → D
    [C + 5, 'major-pentatonic', 'C', C + 4], // F → E (1 down), G is 2 up
    [C + 8, 'major-pentatonic', 'C', C + 9], // G#: G and A both 1 away → A
    [C + 3, 'blues', 'A', C + 3], // D# (Eb) is the blue note of A blues
    [C + 6, 'blues', 'A', C + 7], // F#: nearest is G (1 up), E is 2 down
    [C + 11, 'dorian', 'D', C + 11], // B is in D dorian
    [C + 1, 'dorian', 'D', C + 2], // C#: C and D both 1 away → D
  ] as const)('snaps %i in %s on %s to %i', (note, scale, root, expected) => {
    expect(snapToScale(note, scale, root)).toBe(expected);
  });

  it('leaves every note of the scale where it is, in every scale and root', () => {
    for (const scale of Object.keys(SCALE_STEPS) as (keyof typeof SCALE_STEPS)[]) {
      for (const root of NOTE_ROOTS) {
        const inScale = pitchClassesOf(scale, root);
        for (let note = 0; note <= 127; note++) {
          if (inScale[note % 12]) expect(snapToScale(note, scale, root)).toBe(note);
        }
      }
    }
  });

  it('always lands on a scale note within 0–127 and never moves a note by more than the largest gap', () => {
    for (const scale of Object.keys(SCALE_STEPS) as (keyof typeof SCALE_STEPS)[]) {
      for (const root of NOTE_ROOTS) {
        const inScale = pitchClassesOf(scale, root);
        for (let note = 0; note <= 127; note++) {
          const snapped = snapToScale(note, scale, root);
          expect(inScale[snapped % 12]).toBe(true);
          expect(snapped).toBeGreaterThanOrEqual(0);
          expect(snapped).toBeLessThanOrEqual(127);
          expect(Math.abs(snapped - note)).toBeLessThanOrEqual(2); // pentatonic gaps are 3 semitones at most
        }
      }
    }
  });

  it('keeps notes past the MIDI range inside it, on the scale', () => {
    expect(snapToScale(140, 'chromatic', 'C')).toBe(127);
    expect(snapToScale(-5, 'chromatic', 'C')).toBe(0);
    // C major: 127 is G9, in the scale.
    expect(snapToScale(130, 'major', 'C')).toBe(127);
    // A minor pentatonic above 127: the highest of A C D E G at or below 127 is G9 = 127.
    expect(snapToScale(150, 'minor-pentatonic', 'A')).toBe(127);
    // F# major pentatonic (F# G# A# C# D#): highest ≤ 127 is F#9 = 126; lowest ≥ 0 is C#-1 = 1.
    expect(snapToScale(200, 'major-pentatonic', 'F#')).toBe(126);
    expect(snapToScale(-20, 'major-pentatonic', 'F#')).toBe(1);
  });
});

describe('mapping a value to a note', () => {
  it('plays the value as the note on a plain chromatic instrument (62 → 62)', () => {
    expect(mapValue({ scale: 'chromatic', root: 'C', transpose: 0 }, 62)).toBe(62);
  });

  it('transposes before it snaps', () => {
    // 61 + 12 = 73 (C#5) → tie between C5 and D5 in C major → D5 (74)
    expect(mapValue({ scale: 'major', root: 'C', transpose: 12 }, 61)).toBe(74);
    // 61 - 12 = 49 (C#3) in A minor pentatonic (A C D E G): tie C3/D3 → D3 (50)
    expect(mapValue({ scale: 'minor-pentatonic', root: 'A', transpose: -12 }, 61)).toBe(50);
  });

  it('clamps after transposing out of range', () => {
    expect(mapValue({ scale: 'chromatic', root: 'C', transpose: 60 }, 90)).toBe(127);
    expect(mapValue({ scale: 'chromatic', root: 'C', transpose: -60 }, 30)).toBe(0);
  });
});
