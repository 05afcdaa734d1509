import { runService } from '../../shared/run-service.js';
import { synthEnv } from './config.js';
import { startSynth } from './synth.js';

await runService('synth', synthEnv, startSynth, {
  help: `OpenWest MIDI synth: plays <prefix>/notes/+ and publishes <prefix>/played/N.
  SYNTH_OUTPUT auto|midi|fluidsynth|none (auto)   MIDI_PORT_NAME (OpenWest)   MIDI_OUTPUT (pick an existing port)
  SOUNDFONT (${'/usr/share/sounds/sf2/FluidR3_GM.sf2'})   SYNTH_AUDIO_FILE (render FluidSynth to a WAV)
  MAX_NOTE_MS (10000)   MQTT_URL   TOPIC_PREFIX (openwest)   LOG_LEVEL (info)`,
});
