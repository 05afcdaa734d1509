import { MAX_VALUE, MIN_VALUE } from './parse-value.js';

/** General MIDI percussion keys (channel 10): 35 Acoustic Bass Drum … 81 Open Triangle. */
export const FIRST_DRUM_KEY = 35;
export const LAST_DRUM_KEY = 81;

/**
 * A value 30–90 → a General MIDI percussion key 35–81, spread evenly so that every value hits a
 * real drum sound and every drum sound is reachable (61 values onto 47 keys, low values low drums).
 */
export function drumKey(value: number): number {
  const position = (Math.min(MAX_VALUE, Math.max(MIN_VALUE, value)) - MIN_VALUE) / (MAX_VALUE - MIN_VALUE);
  return FIRST_DRUM_KEY + Math.round(position * (LAST_DRUM_KEY - FIRST_DRUM_KEY));
}
