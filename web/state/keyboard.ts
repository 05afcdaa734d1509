import { isBlackKey, noteName } from '../../shared/note-names.js';

export const PAD_LOW = 30;
export const PAD_HIGH = 90;

export interface PadKey {
  value: number;
  name: string;
  black: boolean;
  /** Left edge in white-key widths from the keyboard's left end. */
  left: number;
}

/**
 * The play pad's piano keys for values `low`..`high`: white keys side by side, each black key
 * centred on the boundary after the white key before it.
 */
export function keyboardLayout(low = PAD_LOW, high = PAD_HIGH): { keys: PadKey[]; whiteKeys: number } {
  const keys: PadKey[] = [];
  let whites = 0;
  for (let value = low; value <= high; value++) {
    const black = isBlackKey(value);
    keys.push({ value, name: noteName(value), black, left: black ? whites - 0.3 : whites });
    if (!black) whites += 1;
  }
  return { keys, whiteKeys: whites };
}

/** The value the slider stands for, clamped to the contract's 30–90 and rounded. */
export const padValue = (raw: number): number => Math.min(PAD_HIGH, Math.max(PAD_LOW, Math.round(raw)));
