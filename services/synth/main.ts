import { readConfig } from '../../shared/runtime/config.js';
import { runService } from '../../shared/runtime/run-service.js';
import { synthEnv } from './config.js';
import { describeMidiOutputs } from './midi-list-text.js';
import { listMidiOutputs } from './outputs/easymidi-output.js';
import { DEFAULT_SOUNDFONT } from './outputs/fluidsynth-output.js';
import { startSynth } from './synth.js';

if (process.argv.includes('--list')) {
  const { MIDI_PORT_NAME } = readConfig(synthEnv.pick({ MIDI_PORT_NAME: true }), process.env);
  process.stdout.write(`${describeMidiOutputs(listMidiOutputs(), MIDI_PORT_NAME)}\n`);
  process.exit(0);
}

await runService('synth', synthEnv, startSynth, {
  help: `OpenWest MIDI synth: plays <prefix>/notes/+ and publishes <prefix>/played/N; <prefix>/panic silences it.
  --list   print the MIDI output ports (or why there are none) and exit (npm run midi:list)
  SYNTH_OUTPUT auto|midi|fluidsynth|none (auto)   MIDI_PORT_NAME (OpenWest)   MIDI_OUTPUT (pick an existing port)
  SOUNDFONT (${DEFAULT_SOUNDFONT})   SYNTH_AUDIO_FILE (render FluidSynth to a WAV)   FLUIDSYNTH_MAX_RESTARTS (3 a minute)
  MAX_NOTE_MS (10000)   MAX_VOICES_PER_CHANNEL (16)   RECORD_MIDI (file.mid, or a folder)   RECORD_FLUSH_MS (2000)
  STATS_INTERVAL_MS (5000)   MQTT_URL   TOPIC_PREFIX (openwest)   LOG_LEVEL (info)
  MQTT_SESSION (auto: persistent session synth-<hash>; a tag; off)`,
});
