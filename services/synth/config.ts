import { z } from 'zod';
import { commonEnv } from '../../shared/runtime/config.js';
import { DEFAULT_SOUNDFONT } from './outputs/fluidsynth-output.js';

export const synthEnv = commonEnv.extend({
  SYNTH_OUTPUT: z
    .enum(['auto', 'midi', 'fluidsynth', 'none'])
    .default('auto')
    .describe(
      'auto (MIDI if a MIDI system initialises, else FluidSynth if it can open an audio device, else none), midi, fluidsynth or none',
    ),
  MIDI_PORT_NAME: z.string().min(1).default('OpenWest').describe('the name of the virtual MIDI port the synth opens'),
  MIDI_OUTPUT: z
    .string()
    .optional()
    .describe(
      'part of the name of an existing MIDI output port to play instead; unset: a virtual port (MIDI_PORT_NAME)',
    )
    .meta({ example: 'FLUID' }),
  SOUNDFONT: z.string().default(DEFAULT_SOUNDFONT).describe("FluidSynth's SoundFont file (.sf2)"),
  SYNTH_AUDIO_FILE: z
    .string()
    .optional()
    .describe(
      'render FluidSynth to this WAV file instead of the sound card (afresh after a restart); unset: the sound card',
    )
    .meta({ example: 'performance.wav' }),
  MAX_NOTE_MS: z.coerce
    .number()
    .int()
    .min(1)
    .max(60_000)
    .default(10_000)
    .describe('the longest a note sounds, in ms, whatever its durationMs says'),
  MAX_VOICES_PER_CHANNEL: z.coerce
    .number()
    .int()
    .min(1)
    .max(128)
    .default(16)
    .describe('notes sounding at once per channel; one more steals the oldest (note off first)'),
  RECORD_MIDI: z
    .string()
    .optional()
    .describe(
      'record everything played as a Standard MIDI File: a file.mid, or a folder (ending in /) for one timestamped file a run; unset: no recording',
    )
    .meta({ example: 'recordings/' }),
  RECORD_FLUSH_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(60_000)
    .default(2_000)
    .describe(
      'how often the recording is rewritten while something new was played, in ms (a crash loses at most this)',
    ),
  STALE_AFTER_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(60_000)
    .default(100)
    .describe(
      'an audience note older than this when it could be played is dropped and counted, in ms (0: play every note)',
    ),
  FLUIDSYNTH_MAX_RESTARTS: z.coerce
    .number()
    .int()
    .min(0)
    .max(100)
    .default(3)
    .describe('restarts of a FluidSynth that died, a minute at most; past that the synth stays on none'),
});
export type SynthConfig = z.infer<typeof synthEnv>;
