import { describe, expect, it } from 'vitest';
import { readConfig } from '../../shared/runtime/config.js';
import { synthEnv } from '../../services/synth/config.js';

describe('synth settings', () => {
  it('defaults: auto output, 16 voices a channel, 10 s longest note, stats every 5 s, recording off, flushed every 2 s', () => {
    const config = readConfig(synthEnv, {});
    expect(config.RECORD_MIDI).toBeUndefined();
    expect(config).toMatchObject({
      SYNTH_OUTPUT: 'auto',
      MAX_VOICES_PER_CHANNEL: 16,
      MAX_NOTE_MS: 10_000,
      STATS_INTERVAL_MS: 5_000,
      RECORD_FLUSH_MS: 2_000,
      FLUIDSYNTH_MAX_RESTARTS: 3,
    });
  });

  it.each([
    [
      { SYNTH_OUTPUT: 'alsa' },
      /SYNTH_OUTPUT: Invalid option: expected one of "auto"\|"midi"\|"fluidsynth"\|"none", got "alsa"/,
    ],
    [{ MAX_VOICES_PER_CHANNEL: '0' }, /MAX_VOICES_PER_CHANNEL: Too small: expected number to be >=1, got "0"/],
    [{ RECORD_FLUSH_MS: '600000' }, /RECORD_FLUSH_MS: Too big: expected number to be <=60000, got "600000"/],
  ])('refuses %j naming the setting and the reason', (env, reason) => {
    expect(() => readConfig(synthEnv, env)).toThrow(reason);
  });
});
