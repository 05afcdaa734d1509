import type { Logger } from '../../shared/runtime/logger.js';
import type { SynthConfig } from './config.js';
import type { MidiOut } from './midi-out.js';
import { openEasymidi } from './outputs/easymidi-output.js';
import { fluidsynthInstalled, openFluidsynth } from './outputs/fluidsynth-output.js';
import { silentOutput } from './outputs/silent-output.js';

export interface ChosenOutput {
  out: MidiOut;
  /** Opens the same output afresh after a crash (FluidSynth only). */
  reopen?: () => Promise<MidiOut>;
  /** One sentence: what was chosen, why, and how to get sound if there is none. */
  why: string;
}

type OutputConfig = Pick<
  SynthConfig,
  'SYNTH_OUTPUT' | 'MIDI_PORT_NAME' | 'MIDI_OUTPUT' | 'SOUNDFONT' | 'SYNTH_AUDIO_FILE'
>;

/**
 * SYNTH_OUTPUT=midi|fluidsynth|none opens exactly that (or fails saying why); `auto` tries MIDI,
 * then FluidSynth, then none, and explains the choice.
 */
export async function chooseOutput(
  config: OutputConfig,
  log: Logger,
  /** Called when FluidSynth, once running, exits on its own. */
  onFluidsynthExit: (reason: string) => void,
): Promise<ChosenOutput> {
  const midi = () => openEasymidi({ portName: config.MIDI_PORT_NAME, match: config.MIDI_OUTPUT });
  const fluid = () =>
    openFluidsynth({ soundfont: config.SOUNDFONT, audioFile: config.SYNTH_AUDIO_FILE, onExit: onFluidsynthExit });

  switch (config.SYNTH_OUTPUT) {
    case 'midi': {
      let out: MidiOut;
      try {
        out = midi();
      } catch (error) {
        throw new Error(
          `SYNTH_OUTPUT=midi: ${(error as Error).message}; \`npm run midi:list\` explains, SYNTH_OUTPUT=auto falls back to FluidSynth`,
        );
      }
      return { out, why: `SYNTH_OUTPUT=midi: playing to ${out.name}` };
    }
    case 'fluidsynth': {
      const out = await fluid();
      return { out, reopen: fluid, why: `SYNTH_OUTPUT=fluidsynth: playing through ${out.name}` };
    }
    case 'none':
      return { out: silentOutput(log), why: 'SYNTH_OUTPUT=none: no sound, played events are still published' };
    case 'auto':
      break;
  }

  let midiProblem: string;
  try {
    const out = midi();
    return { out, why: `auto: MIDI is available, playing to ${out.name}` };
  } catch (error) {
    midiProblem = (error as Error).message;
  }
  if (!fluidsynthInstalled()) {
    return {
      out: silentOutput(log),
      why: `auto: no MIDI (${midiProblem}) and FluidSynth is not installed, so no sound; for sound install fluidsynth and fluid-soundfont-gm, open the web page and turn "Sound" on, or run where a MIDI system exists`,
    };
  }
  try {
    const out = await fluid();
    return { out, reopen: fluid, why: `auto: no MIDI (${midiProblem}), playing through ${out.name}` };
  } catch (error) {
    return {
      out: silentOutput(log),
      why: `auto: no MIDI (${midiProblem}) and FluidSynth failed (${(error as Error).message}), so no sound; set SYNTH_AUDIO_FILE=out.wav to render to a file, or turn "Sound" on on the web page`,
    };
  }
}
