import { INSTRUMENT_VALUE_MAX, INSTRUMENT_VALUE_MIN } from '../../shared/contract/contract.js';
import { isBlackKey, noteName } from '../../shared/contract/note-names.js';

/** The pad plays the contract's range of values. */
export const PAD_LOW = INSTRUMENT_VALUE_MIN;
export const PAD_HIGH = INSTRUMENT_VALUE_MAX;
/** A black key's width and how far it reaches left of its boundary, in white-key widths. */
const BLACK_WIDTH = 0.6;
const BLACK_OFFSET = BLACK_WIDTH / 2;

export interface PadKey {
  value: number;
  name: string;
  black: boolean;
  /** Left edge in white-key widths from the keyboard's left end. */
  left: number;
}

/**
 * The play pad's piano keys for values `low`..`high`: white keys side by side, each black key
 * centred on the boundary after the white key before it. `width` is in white-key widths.
 */
export function keyboardLayout(low = PAD_LOW, high = PAD_HIGH): { keys: PadKey[]; width: number } {
  const keys: PadKey[] = [];
  let whites = 0;
  for (let value = low; value <= high; value++) {
    const black = isBlackKey(value);
    keys.push({ value, name: noteName(value), black, left: black ? whites - BLACK_OFFSET : whites });
    if (!black) whites += 1;
  }
  // A keyboard that starts on a black key (30 is F#1) moves right so that key is whole.
  const shift = keys[0]?.black ? BLACK_OFFSET : 0;
  const last = keys[keys.length - 1];
  const width = whites + shift + (last?.black ? BLACK_WIDTH - BLACK_OFFSET : 0);
  return { keys: keys.map((k) => ({ ...k, left: k.left + shift })), width };
}

/** The value the slider stands for, clamped to the contract's 30–90 and rounded. */
export const padValue = (raw: number): number => Math.min(PAD_HIGH, Math.max(PAD_LOW, Math.round(raw)));

/** A piano page spans an octave and its top note (C to C): 13 keys fit a phone without scrolling. */
export const OCTAVE = 12;

/**
 * Where each piano page starts: on every C whose octave fits in `low`..`high`, plus the two ends
 * (30–42 and 78–90), so every page shows 13 keys and every value is on a page.
 */
export function pianoPageStarts(low = PAD_LOW, high = PAD_HIGH): number[] {
  const starts = new Set<number>([low]);
  for (let c = Math.ceil(low / OCTAVE) * OCTAVE; c <= high; c += OCTAVE) starts.add(Math.min(c, high - OCTAVE));
  return [...starts].filter((s) => s >= low).sort((a, b) => a - b);
}

/**
 * The page to show `value` on: the current one if it holds it, else the nearest one that does
 * (so moving past an edge turns one page, not several).
 */
export function pianoPageFor(value: number, current: number, starts = pianoPageStarts()): number {
  const holds = (start: number) => value >= start && value <= start + OCTAVE;
  if (holds(current)) return current;
  const candidates = starts.filter(holds);
  return candidates.reduce(
    (best, s) => (Math.abs(s - current) < Math.abs(best - current) ? s : best),
    candidates[0] ?? current,
  );
}

/** Drum pads per page: three rows of four on a phone. */
export const DRUM_PAGE_SIZE = 12;
export const DRUM_COLUMNS = 4;

/** Keys of a roving keyboard: arrows move, Home/End jump; `step` is what Up/Down move by. */
export function movedIndex(index: number, key: string, count: number, step: number): number | undefined {
  const to = (i: number) => Math.min(count - 1, Math.max(0, i));
  switch (key) {
    case 'ArrowRight':
      return to(index + 1);
    case 'ArrowLeft':
      return to(index - 1);
    case 'ArrowUp':
      return to(index + step);
    case 'ArrowDown':
      return to(index - step);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return undefined;
  }
}
