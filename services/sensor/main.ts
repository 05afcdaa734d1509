import { runService } from '../../shared/runtime/run-service.js';
import { sensorEnv } from './config.js';
import { startSensor } from './sensor.js';

await runService('sensor', sensorEnv, startSensor, {
  help: `OpenWest sensor reader: knobs (Arduino on serial, MIDI controller, simulated) → <prefix>/performer/N (the performer's lane).
  SENSOR_SOURCE auto|serial|midi|simulate|none (auto: an Arduino found by USB vendor id, else wait for one)
  SERIAL_PORT (found automatically)  SERIAL_BAUD (115200)  SERIAL_RETRY_MS (500)  DEVICE_SCAN_MS (2000)
  MIDI_INPUT (part of a MIDI input's name)  MIDI_CC_KNOBS (74,71,76,77,93,73: CC numbers in knob order)
  SIMULATE_KNOBS (3)  SIMULATE_RATE (2 moves a second)
  KNOB_INSTRUMENTS (knob i plays instrument i+1; e.g. 1,1,10)  KNOB_HYSTERESIS (0.3)
  STATS_INTERVAL_MS (5000)  MQTT_URL  TOPIC_PREFIX (openwest)  LOG_LEVEL (info)`,
});
