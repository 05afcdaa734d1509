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
