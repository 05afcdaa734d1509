import { describe, expect, it } from 'vitest';
import { DRUM_KEYS, drumName, drumShortName } from '../../shared/contract/drum-names.js';
import { drumKey, drumValue, FIRST_DRUM_KEY, LAST_DRUM_KEY } from '../../shared/contract/drums.js';
import { movedIndex, OCTAVE, PAD_HIGH, PAD_LOW, pianoPageFor, pianoPageStarts } from '../../web/state/keyboard.js';
import { servicesSummary } from '../../web/state/services-summary.js';

describe('the pad’s piano pages', () => {
  it('start on each C, plus both ends, and every page holds 13 keys within 30–90', () => {
    const starts = pianoPageStarts();
    expect(starts).toEqual([30, 36, 48, 60, 72, 78]);
    for (const s of starts) expect(s + OCTAVE).toBeLessThanOrEqual(PAD_HIGH);
  });

  it('put every value on some page', () => {
    const starts = pianoPageStarts();
    for (let v = PAD_LOW; v <= PAD_HIGH; v++) expect(starts.some((s) => v >= s && v <= s + OCTAVE)).toBe(true);
  });

  it('turn one page when a move passes an edge, and stay when the value is on the page', () => {
    expect(pianoPageFor(64, 60)).toBe(60);
    expect(pianoPageFor(72, 60)).toBe(60); // the top C is on the page
    expect(pianoPageFor(73, 60)).toBe(72);
    expect(pianoPageFor(59, 60)).toBe(48);
    expect(pianoPageFor(90, 72)).toBe(78);
    expect(pianoPageFor(31, 36)).toBe(30);
  });
});

describe('moving between keys with the keyboard', () => {
  it('arrows move by one, Up/Down by the step, Home/End jump, and never past the ends', () => {
    expect(movedIndex(5, 'ArrowRight', 61, 12)).toBe(6);
    expect(movedIndex(5, 'ArrowLeft', 61, 12)).toBe(4);
    expect(movedIndex(5, 'ArrowUp', 61, 12)).toBe(17);
    expect(movedIndex(5, 'ArrowDown', 61, 12)).toBe(0);
    expect(movedIndex(60, 'ArrowRight', 61, 12)).toBe(60);
    expect(movedIndex(0, 'ArrowLeft', 61, 12)).toBe(0);
    expect(movedIndex(7, 'Home', 61, 12)).toBe(0);
    expect(movedIndex(7, 'End', 61, 12)).toBe(60);
    expect(movedIndex(7, 'a', 61, 12)).toBeUndefined();
    // A grid of four columns: Up is the row above.
    expect(movedIndex(6, 'ArrowUp', 47, -4)).toBe(2);
  });
});

describe('drum names', () => {
  it('name every General MIDI percussion key 35–81, each drum once', () => {
    expect(DRUM_KEYS).toHaveLength(LAST_DRUM_KEY - FIRST_DRUM_KEY + 1);
    expect(new Set(DRUM_KEYS.map(drumName)).size).toBe(DRUM_KEYS.length);
    expect(new Set(DRUM_KEYS.map(drumShortName)).size).toBe(DRUM_KEYS.length);
    expect(drumName(35)).toBe('Acoustic Bass Drum');
    expect(drumName(38)).toBe('Acoustic Snare');
    expect(drumName(81)).toBe('Open Triangle');
    expect(drumShortName(42)).toBe('Hi-hat');
    expect(drumName(99)).toBe('Drum 99');
  });

  it('fit a drum pad on a phone (short names of 11 characters at most)', () => {
    for (const key of DRUM_KEYS) expect(drumShortName(key).length).toBeLessThanOrEqual(11);
  });

  it('every drum has a value that plays it, so the pad can offer all 47', () => {
    for (const key of DRUM_KEYS) expect(drumKey(drumValue(key)!)).toBe(key);
  });
});

describe('the services line', () => {
  it('folds the panel to one line, the bad news first', () => {
    expect(servicesSummary({})).toBe('Services: none reported yet');
    const on = { state: 'online' };
    expect(servicesSummary({ mapper: on, synth: on, broker: on })).toBe('Services: 3 online');
    expect(servicesSummary({ mapper: on, synth: { state: 'offline' } }, { sensor: {} })).toBe(
      'Services: 1 offline · 1 unknown · 1 online',
    );
  });

  it('does not count a tool that finished (the score player, offline) as bad news', () => {
    const on = { state: 'online' };
    expect(servicesSummary({ mapper: on, player: { state: 'offline' } })).toBe('Services: 1 online');
    expect(servicesSummary({ mapper: on, player: on })).toBe('Services: 2 online');
  });
});
