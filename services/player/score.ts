import { INSTRUMENT_VALUE_MAX, INSTRUMENT_VALUE_MIN } from '../../shared/contract/contract.js';
import { drumValue } from '../../shared/contract/drums.js';
import { FIRST_INSTRUMENT, LAST_INSTRUMENT } from '../../shared/contract/topics.js';

/** One moment of a score: the values that start together, and when, in beats from the start. */
export interface Onset {
  beat: number;
  values: number[];
  line: number;
}

export interface Score {
  title: string | undefined;
  bpm: number;
  instrument: number;
  onsets: Onset[];
  /** Where the score ends (the last token's beat plus its length): a loop starts again here. */
  lengthBeats: number;
}

/** A score that cannot be played, with the file, line and reason. */
export class ScoreError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
    this.name = 'ScoreError';
  }
}

export const DEFAULT_BPM = 120;
export const BPM_RANGE = { min: 20, max: 400 } as const;

/** General MIDI percussion keys (channel 10) by name, for drum scores. */
export const DRUM_KEYS: Readonly<Record<string, number>> = {
  kick: 36,
  rim: 37,
  snare: 38,
  clap: 39,
  lowtom: 45,
  hat: 42,
  pedalhat: 44,
  openhat: 46,
  midtom: 47,
  hitom: 50,
  crash: 49,
  ride: 51,
  tambourine: 54,
  cowbell: 56,
};

const PITCH = /^([A-Ga-g])([#b]?)(-?\d)$/;
const SEMITONE: Record<string, number> = { c: 0, d: 2, e: 4, f: 5, g: 7, a: 9, b: 11 };
const NUMBER = /^\d+$/;
const BEATS = /^(\d+(?:\.\d+)?)(?:\/(\d+))?$/;
const REST = new Set(['.', '-', 'r', 'rest']);

/** A note token → its value 30–90, or the reason it is not one. */
function valueOf(text: string): number | string {
  let value: number;
  const pitch = PITCH.exec(text);
  if (NUMBER.test(text)) value = Number(text);
  else if (pitch) {
    const [, letter, accidental, octave] = pitch;
    value =
      (Number(octave) + 1) * 12 +
      SEMITONE[letter!.toLowerCase()]! +
      (accidental === '#' ? 1 : accidental === 'b' ? -1 : 0);
  } else if (DRUM_KEYS[text.toLowerCase()] !== undefined) value = drumValue(DRUM_KEYS[text.toLowerCase()]!)!;
  else
    return `"${text}" is not a note: write a number 30-90, a name like C4, F#3 or Bb4, a drum like kick, or . for a rest`;
  if (value < INSTRUMENT_VALUE_MIN || value > INSTRUMENT_VALUE_MAX) {
    return `"${text}" is ${value}, outside ${INSTRUMENT_VALUE_MIN}-${INSTRUMENT_VALUE_MAX}`;
  }
  return value;
}

function beatsOf(text: string): number | string {
  const m = BEATS.exec(text);
  const beats = m ? Number(m[1]) / (m[2] ? Number(m[2]) : 1) : NaN;
  if (!Number.isFinite(beats) || beats <= 0)
    return `length "${text}" must be a positive number of beats, like 2, 0.5 or 1/3`;
  return beats;
}

/**
 * Reads a score (format in docs/services/player.md): `key: value` settings, then notes separated
 * by spaces, each `VALUE[:BEATS]`, chords joined with `+`, `.` a rest, `|` bar lines ignored,
 * `#` at the start of a line or after a space starts a comment.
 */
export function parseScore(text: string, file = 'score'): Score {
  const settings = { title: undefined as string | undefined, bpm: DEFAULT_BPM, instrument: FIRST_INSTRUMENT };
  const onsets: Onset[] = [];
  let beat = 0;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const fail = (reason: string): never => {
      throw new ScoreError(file, line, reason);
    };
    const content = raw.replace(/(^|\s)#.*$/, '').trim(); // `#` after a space: F#4 is a note
    if (content === '') return;
    // A setting is a known key and a colon, or any word, a colon and a space; `kick:2` is a note.
    const setting = /^(title|bpm|instrument)\s*:\s*(.*)$/i.exec(content) ?? /^([a-z]+):\s+(.*)$/i.exec(content);
    if (setting) {
      const [, key, value] = setting;
      switch (key!.toLowerCase()) {
        case 'title':
          settings.title = value!.trim();
          return;
        case 'bpm': {
          const bpm = Number(value);
          if (!Number.isFinite(bpm) || bpm < BPM_RANGE.min || bpm > BPM_RANGE.max) {
            fail(`bpm must be a number from ${BPM_RANGE.min} to ${BPM_RANGE.max}, got "${value}"`);
          }
          settings.bpm = bpm;
          return;
        }
        case 'instrument': {
          const n = Number(value);
          if (!Number.isInteger(n) || n < FIRST_INSTRUMENT || n > LAST_INSTRUMENT) {
            fail(`instrument must be a whole number from ${FIRST_INSTRUMENT} to ${LAST_INSTRUMENT}, got "${value}"`);
          }
          settings.instrument = n;
          return;
        }
        default:
          fail(`unknown setting "${key}": use title, bpm or instrument`);
      }
    }
    for (const token of content.split(/\s+/)) {
      if (token === '|') continue;
      const [notes, length, extra] = token.split(':');
      if (extra !== undefined) fail(`"${token}" has more than one ":"`);
      const beats = length === undefined ? 1 : beatsOf(length);
      if (typeof beats === 'string') fail(beats);
      if (!REST.has(notes!.toLowerCase())) {
        const values = notes!.split('+').map(valueOf);
        const problem = values.find((v) => typeof v === 'string');
        if (problem !== undefined) fail(problem);
        onsets.push({ beat, values: values as number[], line });
      }
      beat += beats as number;
    }
  });
  if (onsets.length === 0) throw new ScoreError(file, lines.length, 'the score has no notes');
  return { ...settings, onsets, lengthBeats: beat };
}
