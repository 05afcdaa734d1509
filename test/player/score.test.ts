import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePlayerArgs } from '../../services/player/args.js';
import { findScore, scoresDir, shippedScores } from '../../services/player/find-score.js';
import { DRUM_KEYS, parseScore, ScoreError } from '../../services/player/score.js';
import { defaultInstruments } from '../../services/mapper/instruments.js';
import { mapValue } from '../../services/mapper/map-value.js';
import { drumValue } from '../../shared/contract/drums.js';
import { repoRoot } from '../helpers/procfile.js';

const drum = (name: string) => drumValue(DRUM_KEYS[name]!)!;
const onsets = (text: string) => parseScore(text).onsets.map(({ beat, values }) => [beat, ...values]);

describe('score format', () => {
  it('reads numbers, note names and drum names, one beat each unless given a length', () => {
    expect(onsets('64 E4 F#4:2 Bb3:1/2 kick:0.5 60')).toEqual([
      [0, 64],
      [1, 64],
      [2, 66],
      [4, 58],
      [4.5, drum('kick')],
      [5, 60],
    ]);
  });

  it('skips rests, bar lines and comments, and plays chords joined with +', () => {
    expect(onsets('kick+hat . | hat:2 # a comment\n- snare r:1/2 ride')).toEqual([
      [0, drum('kick'), drum('hat')],
      [2, drum('hat')],
      [5, drum('snare')],
      [6.5, drum('ride')],
    ]);
  });

  it('a drum name sends the value that the drum instrument (10, the drums scale) plays as that General MIDI key', () => {
    const drums = defaultInstruments.find((i) => i.instrument === 10)!;
    expect(drums.scale).toBe('drums');
    for (const [name, key] of Object.entries(DRUM_KEYS)) {
      const [[, value]] = onsets(name) as [[number, number]];
      expect(mapValue(drums, value), name).toBe(key);
    }
    expect(mapValue(drums, drum('kick'))).toBe(36); // Bass Drum 1, not whatever 36 as a value would play
  });

  it('reads title, bpm and instrument, and where the score ends', () => {
    const score = parseScore('title: A tune\nbpm: 90\ninstrument: 10\nkick:2 .:2');
    expect(score).toMatchObject({ title: 'A tune', bpm: 90, instrument: 10, lengthBeats: 4 });
  });

  it.each([
    [
      '60 62\n64 H4',
      2,
      '"H4" is not a note: write a number 30-90, a name like C4, F#3 or Bb4, a drum like kick, or . for a rest',
    ],
    ['60 95', 1, '"95" is 95, outside 30-90'],
    ['C1', 1, '"C1" is 24, outside 30-90'],
    ['\n60:0', 2, 'length "0" must be a positive number of beats, like 2, 0.5 or 1/3'],
    ['60:x', 1, 'length "x" must be a positive number of beats, like 2, 0.5 or 1/3'],
    ['60:1:2', 1, '"60:1:2" has more than one ":"'],
    ['bpm: fast\n60', 1, 'bpm must be a number from 20 to 400, got "fast"'],
    ['instrument: 17', 1, 'instrument must be a whole number from 1 to 16, got "17"'],
    ['tempo: 100', 1, 'unknown setting "tempo": use title, bpm or instrument'],
    ['# nothing\n. .\n', 3, 'the score has no notes'],
  ])('refuses %j at line %i: %s', (text, line, reason) => {
    let error: unknown;
    try {
      parseScore(text, 'bad.score');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ScoreError);
    expect((error as ScoreError).message).toBe(`bad.score:${line}: ${reason}`);
  });
});

describe('shipped scores', () => {
  it('ships mary on instrument 1 and a drum loop on instrument 10, both valid', () => {
    expect(shippedScores()).toEqual(expect.arrayContaining(['mary', 'drums']));
    expect(scoresDir()).toBe(join(repoRoot, 'scores'));
    const mary = parseScore(readFileSync(findScore('mary')!, 'utf8'));
    expect(mary).toMatchObject({ title: 'Mary Had a Little Lamb', bpm: 120, instrument: 1 });
    expect(mary.onsets.slice(0, 7).map((o) => o.values[0])).toEqual([64, 62, 60, 62, 64, 64, 64]);
    const drums = parseScore(readFileSync(findScore('drums')!, 'utf8'));
    expect(drums).toMatchObject({ instrument: 10, lengthBeats: 8 });
    expect(drums.onsets[0]!.values).toEqual([drum('crash'), drum('kick')]);
  });
});

describe('player arguments', () => {
  it('reads a score, instrument, bpm, loop and tempo', () => {
    expect(parsePlayerArgs(['mary', '--instrument', '3', '--bpm', '90', '--loop', '--tempo'])).toEqual({
      ok: true,
      args: { score: 'mary', instrument: 3, bpm: 90, loop: true, tempo: true },
    });
    expect(parsePlayerArgs(['mary'])).toEqual({
      ok: true,
      args: { score: 'mary', instrument: undefined, bpm: undefined, loop: false, tempo: false },
    });
    expect(parsePlayerArgs(['--help'])).toEqual({ ok: false, help: true });
  });

  it.each([
    [[], 'which score? e.g. mary'],
    [['mary', 'drums'], 'one score at a time, got mary drums'],
    [['mary', '--instrument', '0'], '--instrument must be 1-16, got "0"'],
    [['mary', '--bpm', 'x'], '--bpm must be 20-400, got "x"'],
  ])('refuses %j', (argv, reason) => {
    expect(parsePlayerArgs(argv)).toEqual({ ok: false, help: false, reason });
  });
});
