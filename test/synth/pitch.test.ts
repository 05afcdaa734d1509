import { describe, expect, it } from 'vitest';
import { fundamentalHz } from '../helpers/pitch.js';

const RATE = 44_100;
const tone = (hz: number, harmonics: number[], seconds = 0.35) =>
  new Float64Array(Math.round(seconds * RATE)).map((_, i) =>
    harmonics.reduce((sum, amplitude, k) => sum + amplitude * Math.sin((2 * Math.PI * hz * (k + 1) * i) / RATE), 0),
  );

describe('the pitch detector the FluidSynth test relies on', () => {
  it.each([110, 261.63, 440, 880])('finds %d Hz in a sine within 0.2 %', (hz) => {
    expect(Math.abs(fundamentalHz(tone(hz, [1]), RATE) / hz - 1)).toBeLessThan(0.002);
  });

  it('finds the fundamental, not the octave, when the second harmonic is louder (as in a piano)', () => {
    expect(Math.abs(fundamentalHz(tone(261.63, [0.4, 1, 0.5, 0.3]), RATE) / 261.63 - 1)).toBeLessThan(0.005);
  });

  it('tells 440 Hz from 261.6 Hz', () => {
    expect(fundamentalHz(tone(440, [1, 0.5]), RATE)).not.toBeCloseTo(fundamentalHz(tone(261.63, [1, 0.5]), RATE), 0);
  });
});
