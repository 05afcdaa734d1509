import { NOTE_ROOTS, type Root, type ScaleName } from '../../shared/contract/contract.js';

type PitchedScale = Exclude<ScaleName, 'drums'>;

/** Semitones above the root of each scale's notes. */
export const SCALE_STEPS: { readonly [S in PitchedScale]: readonly number[] } = {
  chromatic: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
  major: [0, 2, 4, 5, 7, 9, 11],
  'natural-minor': [0, 2, 3, 5, 7, 8, 10],
  'harmonic-minor': [0, 2, 3, 5, 7, 8, 11],
  'major-pentatonic': [0, 2, 4, 7, 9],
  'minor-pentatonic': [0, 3, 5, 7, 10],
  blues: [0, 3, 5, 6, 7, 10],
  dorian: [0, 2, 3, 5, 7, 9, 10],
  mixolydian: [0, 2, 4, 5, 7, 9, 10],
};

export const rootPitchClass = (root: Root): number => NOTE_ROOTS.indexOf(root);

/** Whether each of the 12 pitch classes (0 = C) belongs to `scale` on `root`. */
export function pitchClassesOf(scale: PitchedScale, root: Root): readonly boolean[] {
  const inScale = new Array<boolean>(12).fill(false);
  for (const step of SCALE_STEPS[scale]) inScale[(rootPitchClass(root) + step) % 12] = true;
  return inScale;
}

const pitchClass = (note: number) => ((note % 12) + 12) % 12;

/**
 * The note of the scale nearest to `note`; a note exactly between two scale notes goes up.
 * Then kept within MIDI's 0–127 without leaving the scale: past an edge, the scale's outermost
 * note inside the range.
 */
export function snapToScale(note: number, scale: PitchedScale, root: Root): number {
  const inScale = pitchClassesOf(scale, root);
  const isScaleNote = (n: number) => inScale[pitchClass(n)] === true;
  let snapped = note;
  for (let distance = 0; distance < 12; distance++) {
    if (isScaleNote(note + distance)) {
      snapped = note + distance;
      break;
    }
    if (isScaleNote(note - distance)) {
      snapped = note - distance;
      break;
    }
  }
  if (snapped > 127) {
    snapped = 127;
    while (!isScaleNote(snapped)) snapped--;
  } else if (snapped < 0) {
    snapped = 0;
    while (!isScaleNote(snapped)) snapped++;
  }
  return snapped;
}
