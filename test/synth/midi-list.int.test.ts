import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { describeMidiOutputs } from '../../services/synth/midi-list-text.js';
import { listMidiOutputs } from '../../services/synth/outputs/easymidi-output.js';
import { repoRoot } from '../helpers/procfile.js';
import { testEnv } from '../helpers/env.js';

const run = promisify(execFile);

describe('listing MIDI outputs', () => {
  it('names every port and how to use one', () => {
    const text = describeMidiOutputs({ ok: true, outputs: ['Midi Through:0', 'FLUID Synth (123)'] }, 'OpenWest');
    expect(text).toContain('MIDI output ports (2):\n  Midi Through:0\n  FLUID Synth (123)');
    expect(text).toContain('virtual port named "OpenWest"');
    expect(text).toContain('MIDI_OUTPUT=');
  });

  it('explains why there are none when the MIDI system does not initialise, and how to get sound', () => {
    const text = describeMidiOutputs({ ok: false, reason: 'Failed to initialise RtMidi' }, 'OpenWest');
    expect(text).toMatch(/^No MIDI outputs: the MIDI system did not initialise \(Failed to initialise RtMidi\)/);
    expect(text).toContain('/dev/snd/seq');
    expect(text).toContain('SYNTH_OUTPUT=fluidsynth');
  });

  it('`--list` on the built synth prints this machine’s listing and exits 0', async () => {
    const { stdout } = await run(process.execPath, [resolve(repoRoot, 'dist/services/synth/main.js'), '--list'], {
      env: testEnv({ MIDI_PORT_NAME: 'Stage' }),
    });
    expect(stdout.trim()).toBe(describeMidiOutputs(listMidiOutputs(), 'Stage'));
  });
});
