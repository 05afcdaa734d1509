import { NOTE_ROOTS as NAMES } from './contract.js';

/** MIDI note number → scientific pitch name, with middle C (60) as C4: 62 → "D4". */
export const noteName = (note: number): string => `${NAMES[note % 12]}${Math.floor(note / 12) - 1}`;

/** Whether a MIDI note is a black key on a piano (C#, D#, F#, G#, A#). */
export const isBlackKey = (note: number): boolean => NAMES[note % 12]?.includes('#') ?? false;
