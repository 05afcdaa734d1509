import { runService } from '../../shared/runtime/run-service.js';
import { mapperEnv } from './config.js';
import { startMapper } from './mapper.js';

await runService('mapper', mapperEnv, startMapper, {
  help: `OpenWest note mapper: publishes a note on <prefix>/notes/N for each value on <prefix>/instruments/N or <prefix>/performer/N.
  MQTT_URL (embedded broker)  TOPIC_PREFIX (openwest)  STATS_INTERVAL_MS (5000)  LOG_LEVEL (info)
  INSTRUMENTS_FILE (none: the defaults; JSON overriding any fields, see schemas/instruments.schema.json)
  MAX_ERRORS_PER_SECOND (20)   MQTT_SESSION (auto: persistent session mapper-<hash>; a tag; off)`,
});
