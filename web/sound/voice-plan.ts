/** How an instrument sounds in the browser; Tone.js builds it (sound-engine.ts). */
export type VoicePlan =
  | {
      kind: 'melodic';
      oscillator: 'sine' | 'triangle' | 'square' | 'sawtooth' | 'fmsine' | 'amsine' | 'fatsawtooth';
      envelope: { attack: number; decay: number; sustain: number; release: number };
    }
  | { kind: 'drums' };

export type DrumSound = 'kick' | 'snare' | 'clap' | 'hat' | 'tom' | 'cymbal';

type Melodic = Extract<VoicePlan, { kind: 'melodic' }>;
const melodic = (
  oscillator: Melodic['oscillator'],
  attack: number,
  decay: number,
  sustain: number,
  release: number,
): VoicePlan => ({
  kind: 'melodic',
  oscillator,
  envelope: { attack, decay, sustain, release },
});

/** One voice per General MIDI program family (program / 8): plucked, blown, bowed, pads... */
const BY_FAMILY: readonly VoicePlan[] = [
  melodic('triangle', 0.002, 0.6, 0.15, 0.6), // 0 piano
  melodic('sine', 0.001, 0.4, 0.05, 0.8), // 1 chromatic percussion (celesta, vibes, marimba)
  melodic('square', 0.01, 0.1, 0.9, 0.1), // 2 organ
  melodic('triangle', 0.002, 0.4, 0.1, 0.4), // 3 guitar
  melodic('fmsine', 0.005, 0.3, 0.5, 0.2), // 4 bass
  melodic('fatsawtooth', 0.15, 0.3, 0.8, 0.8), // 5 strings
  melodic('fatsawtooth', 0.2, 0.3, 0.8, 1.0), // 6 ensemble, choir
  melodic('sawtooth', 0.03, 0.2, 0.7, 0.2), // 7 brass
  melodic('square', 0.03, 0.2, 0.7, 0.2), // 8 reed
  melodic('sine', 0.04, 0.2, 0.8, 0.3), // 9 pipe (flute)
  melodic('sawtooth', 0.005, 0.2, 0.6, 0.2), // 10 synth lead
  melodic('amsine', 0.3, 0.5, 0.8, 1.2), // 11 synth pad
  melodic('fmsine', 0.01, 0.3, 0.4, 0.5), // 12 synth effects
  melodic('triangle', 0.002, 0.5, 0.1, 0.5), // 13 ethnic
  melodic('sine', 0.001, 0.2, 0.0, 0.2), // 14 percussive
  melodic('sine', 0.01, 0.2, 0.2, 0.3), // 15 sound effects
];

/** The voice for an instrument: General MIDI channel 10 is drums, anything else by its program. */
export function voicePlanFor(instrument: { channel: number; program: number }): VoicePlan {
  if (instrument.channel === 10) return { kind: 'drums' };
  return BY_FAMILY[Math.floor(instrument.program / 8)] ?? BY_FAMILY[0]!;
}

/**
 * Which drum a General MIDI percussion note (35–81) is; the 30–90 values outside that map onto
 * the nearest sounds so every value makes a noise.
 */
export function drumSound(note: number): DrumSound {
  if (note <= 36) return 'kick';
  if (note === 37 || note === 38 || note === 40) return 'snare';
  if (note === 39) return 'clap';
  if ([42, 44, 46].includes(note)) return 'hat';
  if ([41, 43, 45, 47, 48, 50].includes(note)) return 'tom';
  if ([49, 51, 52, 53, 55, 57, 59].includes(note)) return 'cymbal';
  if (note > 59) return note % 2 === 0 ? 'tom' : 'hat';
  return 'snare';
}
