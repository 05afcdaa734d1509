import { contrastRatio, mix, parseHex, toHex, type Rgb } from './contrast.js';

/** The page's fixed colours (style.css uses the same): panels are opaque so text never sits on the tint. */
export const PAGE_COLOURS = {
  lane: '#1d232b',
  text: '#e8ecf1',
  muted: '#aab4bf',
  whiteKey: '#f1f1ee',
  blackKey: '#222222',
} as const;

/** WCAG AA for text, with a margin: the flash animation passes through colours between its ends. */
export const TEXT_CONTRAST = 4.5;
const TEXT_TARGET = 4.7;
/** WCAG's minimum for a shape against what is beside it (a held key against a resting one). */
export const SHAPE_CONTRAST = 3;
/** The most lane colour a flash mixes into the lane's background. */
export const FLASH_MAX_SHARE = 0.5;

const black: Rgb = [0, 0, 0];
const white: Rgb = [255, 255, 255];

/**
 * A lane's flash background: as much of the lane colour (up to half) as keeps the lane's text and
 * muted text at 4.7:1 or more, so "10 Drums" stays readable while it flashes.
 */
export function laneFlash(colour: string): string {
  const lane = parseHex(PAGE_COLOURS.lane);
  const inks = [parseHex(PAGE_COLOURS.text), parseHex(PAGE_COLOURS.muted)];
  const c = parseHex(colour);
  let share = FLASH_MAX_SHARE;
  while (share > 0 && inks.some((ink) => contrastRatio(ink, mix(c, lane, share)) < TEXT_TARGET)) share -= 0.01;
  return toHex(mix(c, lane, Math.max(0, share)));
}

/** Black or white, whichever reads better on `colour` (a held key's label). */
export function inkOn(colour: string): string {
  const c = parseHex(colour);
  return contrastRatio(black, c) >= contrastRatio(white, c) ? '#000000' : '#ffffff';
}

/**
 * A held key's colour: the lane colour, moved toward black or white (away from the key's own
 * colour) until it stands 3:1 apart from a resting key, so a held key shows in every lane colour
 * (Drums' near-white on a white key too).
 */
export function heldKey(colour: string, keyColour: string): string {
  const c = parseHex(colour);
  const key = parseHex(keyColour);
  const away = contrastRatio(key, black) > contrastRatio(key, white) ? black : white;
  let share = 0;
  while (share < 1 && contrastRatio(mix(away, c, share), key) < SHAPE_CONTRAST) share += 0.02;
  return toHex(mix(away, c, Math.min(1, share)));
}
