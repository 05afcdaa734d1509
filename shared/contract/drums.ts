import { INSTRUMENT_VALUE_MAX, INSTRUMENT_VALUE_MIN } from './contract.js';

/** General MIDI percussion keys (channel 10): 35 Acoustic Bass Drum … 81 Open Triangle. */
export const FIRST_DRUM_KEY = 35;
export const LAST_DRUM_KEY = 81;

/**
 * A value 30–90 → a General MIDI percussion key 35–81 (the `drums` scale), spread evenly so that
 * every value hits a real drum sound and every drum sound is reachable (61 values onto 47 keys,
 * low values low drums).
 */
export function drumKey(value: number): number {
  const position =
    (Math.min(INSTRUMENT_VALUE_MAX, Math.max(INSTRUMENT_VALUE_MIN, value)) - INSTRUMENT_VALUE_MIN) /
    (INSTRUMENT_VALUE_MAX - INSTRUMENT_VALUE_MIN);
  return FIRST_DRUM_KEY + Math.round(position * (LAST_DRUM_KEY - FIRST_DRUM_KEY));
}

const VALUE_BY_KEY = new Map<number, number>();
for (let value = INSTRUMENT_VALUE_MAX; value >= INSTRUMENT_VALUE_MIN; value--) VALUE_BY_KEY.set(drumKey(value), value);

/** The lowest value that plays General MIDI percussion key `key` on a `drums` instrument. */
export function drumValue(key: number): number | undefined {
  return VALUE_BY_KEY.get(key);
}
