import { runService } from '../../shared/run-service.js';
import { startBrokerService } from './broker-service.js';
import { brokerEnv } from './config.js';

const help = `OpenWest embedded MQTT broker (aedes).
  MQTT_PORT (1883)  MQTT_WS_PORT (9001)  BIND_HOST (0.0.0.0)  TOPIC_PREFIX (openwest)
  SERVICE_PASSWORD  password services log in with as SERVICE_USERNAME (service); without it every
                    client has full access (npm start creates one in .env)
  Audience limits: AUDIENCE_RATE (20/s) AUDIENCE_BURST (40) RATE_DISCONNECT_FACTOR (5)
    RATE_DISCONNECT_SECONDS (3) AUDIENCE_MAX_PACKET (256) AUDIENCE_MAX_PAYLOAD (16)
  Everyone: MAX_CONNECTIONS (10000) SERVICE_MAX_PACKET (65536) MAX_CLIENT_ID_LENGTH (128)
    MAX_KEEPALIVE_S (600) FLAPPING_MAX_CONNECTS (15) FLAPPING_WINDOW_S (60) FLAPPING_BAN_S (300)
    ERROR_REPORTS_PER_S (5) STATS_INTERVAL_MS (5000)
  With MQTT_URL set, the services use that broker and this one stays idle.`;

await runService('broker', brokerEnv, startBrokerService, { help });
