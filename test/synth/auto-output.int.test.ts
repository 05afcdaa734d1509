import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chooseOutput } from '../../services/synth/choose-output.js';
import { synthEnv } from '../../services/synth/config.js';
import { listMidiOutputs } from '../../services/synth/outputs/easymidi-output.js';
import { startTestBroker, type TestBroker } from '../helpers/broker.js';
import { testLog } from '../helpers/log.js';
import { startSynthProcess } from '../helpers/synth-process.js';

// What this machine offers decides what `auto` must choose; CI is a container without /dev/snd.
const midi = listMidiOutputs();
const soundCard = existsSync('/dev/snd');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'openwest-auto-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const auto = (extra: Record<string, string> = {}) => synthEnv.parse({ SYNTH_OUTPUT: 'auto', ...extra });

describe('SYNTH_OUTPUT=auto on this machine', () => {
  it('without MIDI or a sound card, chooses none and says why and how to get sound', async () => {
    const chosen = await chooseOutput(auto(), testLog(), () => {});
    try {
      if (!midi.ok && !soundCard) {
        expect(chosen.out.name).toBe('none');
        expect(chosen.why).toMatch(
          /^auto: no MIDI \(Failed to initialise RtMidi\) and FluidSynth failed \(FluidSynth exited at start/,
        );
        expect(chosen.why).toMatch(/audio device/);
        expect(chosen.why).toMatch(/SYNTH_AUDIO_FILE=out\.wav/);
      } else if (midi.ok) {
        expect(chosen.out.name).toBe('midi:OpenWest (virtual)');
      } else {
        expect(chosen.out.name).toBe('fluidsynth');
      }
    } finally {
      await chosen.out.close();
    }
  });

  it('with SYNTH_AUDIO_FILE and no MIDI, chooses FluidSynth rendering to that file', async () => {
    const wav = join(dir, 'auto.wav');
    const chosen = await chooseOutput(auto({ SYNTH_AUDIO_FILE: wav }), testLog(), () => {});
    try {
      if (midi.ok) {
        expect(chosen.out.name).toBe('midi:OpenWest (virtual)');
      } else {
        expect(chosen.out.name).toBe(`fluidsynth:${wav}`);
        expect(chosen.why).toBe(`auto: no MIDI (${midi.reason}), playing through fluidsynth:${wav}`);
        expect(chosen.reopen).toBeTypeOf('function');
        chosen.out.noteOn(1, 69, 100);
        chosen.out.noteOff(1, 69);
        await chosen.out.close();
        expect(existsSync(wav)).toBe(true);
      }
    } finally {
      await chosen.out.close();
    }
  });

  it('SYNTH_OUTPUT=midi without a MIDI system stops start-up with the reason and what to do', async () => {
    if (midi.ok) {
      const chosen = await chooseOutput(synthEnv.parse({ SYNTH_OUTPUT: 'midi' }), testLog(), () => {});
      expect(chosen.out.name).toMatch(/^midi:/);
      await chosen.out.close();
      return;
    }
    await expect(chooseOutput(synthEnv.parse({ SYNTH_OUTPUT: 'midi' }), testLog(), () => {})).rejects.toThrow(
      /^SYNTH_OUTPUT=midi: Failed to initialise RtMidi; `npm run midi:list` explains/,
    );
  });

  it('SYNTH_OUTPUT=none is silent and says so', async () => {
    const { out, why } = await chooseOutput(synthEnv.parse({ SYNTH_OUTPUT: 'none' }), testLog(), () => {});
    expect(out.name).toBe('none');
    expect(why).toMatch(/no sound/);
  });

  it('a missing soundfont is reported with what to install', async () => {
    await expect(
      chooseOutput(synthEnv.parse({ SYNTH_OUTPUT: 'fluidsynth', SOUNDFONT: '/nonexistent.sf2' }), testLog(), () => {}),
    ).rejects.toThrow(/fluid-soundfont-gm/);
  });

  describe('the built synth process', () => {
    let broker: TestBroker;
    beforeEach(async () => {
      broker = await startTestBroker();
    });
    afterEach(async () => {
      await broker.close(100);
    });

    it('logs its choice in exactly one line, then serves', async () => {
      const synth = startSynthProcess({ MQTT_URL: broker.url, SYNTH_OUTPUT: 'auto' });
      try {
        const line = await synth.waitForLog(/^auto: /);
        await synth.waitForLog('connected to');
        expect(synth.logs().filter((l) => /^auto: /.test(l.msg))).toHaveLength(1);
        if (!midi.ok && !soundCard) {
          expect(line.level).toBe(40); // warn: no sound
          expect(line.msg).toMatch(
            /^auto: no MIDI \(Failed to initialise RtMidi\) and FluidSynth failed .*, so no sound; /,
          );
        }
      } finally {
        expect((await synth.stop('SIGINT')).code).toBe(0);
      }
    });
  });
});
