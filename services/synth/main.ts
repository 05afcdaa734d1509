import { readConfig } from '../../shared/runtime/config.js';
import { runService } from '../../shared/runtime/run-service.js';
import { synthEnv } from './config.js';
import { describeMidiOutputs } from './midi-list-text.js';
import { listMidiOutputs } from './outputs/easymidi-output.js';
import { startSynth } from './synth.js';

if (process.argv.includes('--list')) {
  const { MIDI_PORT_NAME } = readConfig(synthEnv.pick({ MIDI_PORT_NAME: true }), process.env);
  process.stdout.write(`${describeMidiOutputs(listMidiOutputs(), MIDI_PORT_NAME)}\n`);
  process.exit(0);
}

await runService('synth', synthEnv, startSynth, {
  help: `OpenWest MIDI synth: plays <prefix>/notes/+ and publishes <prefix>/played/N; <prefix>/panic silences it.
  --list   print the MIDI output ports (or why there are none) and exit (npm run midi:list)`,
});
