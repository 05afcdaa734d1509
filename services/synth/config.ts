import { z } from 'zod';
import { commonEnv } from '../../shared/runtime/config.js';
import { DEFAULT_SOUNDFONT } from './outputs/fluidsynth-output.js';

export const synthEnv = commonEnv.extend({
  SYNTH_OUTPUT: z.enum(['auto', 'midi', 'fluidsynth', 'none']).default('auto'),
  MIDI_PORT_NAME: z.string().min(1).default('OpenWest'),
  MIDI_OUTPUT: z.string().optional(),
  SOUNDFONT: z.string().default(DEFAULT_SOUNDFONT),
  SYNTH_AUDIO_FILE: z.string().optional(),
  MAX_NOTE_MS: z.coerce.number().int().min(1).max(60_000).default(10_000),
  MAX_VOICES_PER_CHANNEL: z.coerce.number().int().min(1).max(128).default(16),
  RECORD_MIDI: z.string().optional(),
  RECORD_FLUSH_MS: z.coerce.number().int().min(100).max(60_000).default(2_000),
  STALE_AFTER_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(60_000)
    .default(100)
    .describe('an audience note older than this when it could be played is dropped and counted (0: play every note)'),
  FLUIDSYNTH_MAX_RESTARTS: z.coerce.number().int().min(0).max(100).default(3),
});
export type SynthConfig = z.infer<typeof synthEnv>;
