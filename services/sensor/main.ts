import { runService } from '../../shared/runtime/run-service.js';
import { sensorEnv } from './config.js';
import { startSensor } from './sensor.js';

await runService('sensor', sensorEnv, startSensor, {
  help: `OpenWest sensor reader: knobs (Arduino on serial, MIDI controller, simulated) → <prefix>/performer/N (the performer's lane).`,
});
