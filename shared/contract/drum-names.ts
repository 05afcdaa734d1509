import { FIRST_DRUM_KEY, LAST_DRUM_KEY } from './drums.js';

/**
 * General MIDI percussion (channel 10), keys 35–81: the full name, and a short one that fits on
 * a phone's drum pad or a lane's note column.
 */
const DRUMS: readonly (readonly [full: string, short: string])[] = [
  ['Acoustic Bass Drum', 'Kick 2'],
  ['Bass Drum 1', 'Kick'],
  ['Side Stick', 'Rimshot'],
  ['Acoustic Snare', 'Snare'],
  ['Hand Clap', 'Clap'],
  ['Electric Snare', 'Snare 2'],
  ['Low Floor Tom', 'Floor tom'],
  ['Closed Hi-Hat', 'Hi-hat'],
  ['High Floor Tom', 'Floor tom 2'],
  ['Pedal Hi-Hat', 'Pedal hat'],
  ['Low Tom', 'Low tom'],
  ['Open Hi-Hat', 'Open hat'],
  ['Low-Mid Tom', 'Mid tom'],
  ['Hi-Mid Tom', 'Mid tom 2'],
  ['Crash Cymbal 1', 'Crash'],
  ['High Tom', 'High tom'],
  ['Ride Cymbal 1', 'Ride'],
  ['Chinese Cymbal', 'China'],
  ['Ride Bell', 'Bell'],
  ['Tambourine', 'Tambourine'],
  ['Splash Cymbal', 'Splash'],
  ['Cowbell', 'Cowbell'],
  ['Crash Cymbal 2', 'Crash 2'],
  ['Vibraslap', 'Vibraslap'],
  ['Ride Cymbal 2', 'Ride 2'],
  ['Hi Bongo', 'Bongo hi'],
  ['Low Bongo', 'Bongo lo'],
  ['Mute Hi Conga', 'Conga mute'],
  ['Open Hi Conga', 'Conga hi'],
  ['Low Conga', 'Conga lo'],
  ['High Timbale', 'Timbale hi'],
  ['Low Timbale', 'Timbale lo'],
  ['High Agogo', 'Agogo hi'],
  ['Low Agogo', 'Agogo lo'],
  ['Cabasa', 'Cabasa'],
  ['Maracas', 'Maracas'],
  ['Short Whistle', 'Whistle'],
  ['Long Whistle', 'Whistle 2'],
  ['Short Guiro', 'Guiro'],
  ['Long Guiro', 'Guiro 2'],
  ['Claves', 'Claves'],
  ['Hi Wood Block', 'Wood hi'],
  ['Low Wood Block', 'Wood lo'],
  ['Mute Cuica', 'Cuica mute'],
  ['Open Cuica', 'Cuica'],
  ['Mute Triangle', 'Triangle'],
  ['Open Triangle', 'Triangle 2'],
];

/** "Acoustic Snare" for key 38; a key outside 35–81 is named by its number. */
export const drumName = (key: number): string => DRUMS[key - FIRST_DRUM_KEY]?.[0] ?? `Drum ${key}`;

/** "Snare" for key 38: short enough for a pad on a phone. */
export const drumShortName = (key: number): string => DRUMS[key - FIRST_DRUM_KEY]?.[1] ?? `Drum ${key}`;

/** Every General MIDI percussion key, low to high. */
export const DRUM_KEYS: readonly number[] = Array.from(
  { length: LAST_DRUM_KEY - FIRST_DRUM_KEY + 1 },
  (_, i) => FIRST_DRUM_KEY + i,
);
