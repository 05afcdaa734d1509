import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseOutput } from '../../services/synth/choose-output.js';
import { synthEnv } from '../../services/synth/config.js';
import { testLog } from '../helpers/log.js';

// This machine and CI have no /dev/snd: easymidi cannot initialise, FluidSynth has no sound card.
const config = (env: Record<string, string>) => synthEnv.parse({ LOG_LEVEL: 'silent', ...env });
const noExit = () => {};

describe('choosing the synth output on a machine without a sound system', () => {
  it('auto explains that there is no MIDI and no audio device, and falls back to none', async () => {
    const { out, why } = await chooseOutput(config({ SYNTH_OUTPUT: 'auto' }), testLog(), noExit);
    expect(out.name).toBe('none');
    expect(why).toMatch(/^auto: no MIDI \(Failed to initialise RtMidi\)/);
    expect(why).toMatch(/FluidSynth failed/);
    expect(why).toMatch(/SYNTH_AUDIO_FILE|Sound on/);
  });

  it('auto renders through FluidSynth when given a WAV file to write', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openwest-synth-'));
    const file = join(dir, 'out.wav');
    try {
      const { out, why } = await chooseOutput(config({ SYNTH_OUTPUT: 'auto', SYNTH_AUDIO_FILE: file }), testLog(), noExit);
      expect(out.name).toBe(`fluidsynth:${file}`);
      expect(why).toMatch(/no MIDI .*playing through fluidsynth/);
      out.noteOn(1, 69, 100);
      out.noteOff(1, 69);
      await out.close();
      expect(existsSync(file)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('SYNTH_OUTPUT=midi fails with the reason instead of silently playing nothing', async () => {
    await expect(chooseOutput(config({ SYNTH_OUTPUT: 'midi' }), testLog(), noExit)).rejects.toThrow(/RtMidi/);
  });

  it('SYNTH_OUTPUT=none is silent and says so', async () => {
    const { out, why } = await chooseOutput(config({ SYNTH_OUTPUT: 'none' }), testLog(), noExit);
    expect(out.name).toBe('none');
    expect(why).toMatch(/no sound/);
  });

  it('a missing soundfont is reported with what to install', async () => {
    await expect(
      chooseOutput(config({ SYNTH_OUTPUT: 'fluidsynth', SOUNDFONT: '/nonexistent.sf2' }), testLog(), noExit),
    ).rejects.toThrow(/fluid-soundfont-gm/);
  });
});
