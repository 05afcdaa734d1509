import { runService } from '../../shared/runtime/run-service.js';
import { visualiserEnv } from './config.js';
import { startVisualiser } from './visualiser.js';

await runService('visualiser', visualiserEnv, startVisualiser, {
  help: `OpenWest visualiser: serves the web page (lanes, piano roll, sound, play pad) and prints its address and a QR code.
  PORT (3000)  BIND_HOST (0.0.0.0)  MQTT_WS_PORT (9001: the embedded broker's WebSocket port, on the host the browser used)
  MQTT_WS_URL (the page's broker URL when it is another broker, e.g. ws://broker.example:9001)
  MQTT_URL  TOPIC_PREFIX (openwest)  STATS_INTERVAL_MS (5000)  LOG_LEVEL (info)`,
});
