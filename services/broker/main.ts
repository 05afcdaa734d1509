import type { Logger } from '../../shared/logger.js';
import { reachableHosts, urlHost } from '../../shared/network.js';
import { runService } from '../../shared/run-service.js';
import { makeTopics } from '../../shared/topics.js';
import { startBroker } from './broker.js';
import { reportBrokerStatus } from './broker-status.js';
import { brokerEnv, type BrokerConfig } from './config.js';
import { createHooks } from './hooks.js';
import { limitsFrom } from './limits.js';

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

async function start(config: BrokerConfig, log: Logger) {
  if (config.MQTT_URL) {
    log.info(`MQTT_URL is set: services use ${config.MQTT_URL}; the embedded broker is not started`);
    const idle = setInterval(() => {}, 1 << 30);
    return { stop: async () => clearInterval(idle) };
  }
  const topics = makeTopics(config.TOPIC_PREFIX);
  const hooks = createHooks({
    serviceUsername: config.SERVICE_USERNAME,
    servicePassword: config.SERVICE_PASSWORD,
    prefix: topics.prefix,
    limits: limitsFrom(config),
  });
  if (!config.SERVICE_PASSWORD) {
    log.warn('SERVICE_PASSWORD is not set: every client has full access (npm start creates one in .env)');
  }
  const broker = await startBroker({
    host: config.BIND_HOST,
    port: config.MQTT_PORT,
    wsPort: config.MQTT_WS_PORT,
    hooks,
    prefix: topics.prefix,
  });
  const status = reportBrokerStatus(broker.aedes, topics, hooks.counters, config.STATS_INTERVAL_MS);
  const hosts = reachableHosts(config.BIND_HOST).map(urlHost);
  log.info(
    [
      `broker ready (MQTT 3.1.1)`,
      `  MQTT:      ${hosts.map((h) => `mqtt://${h}:${broker.port}`).join('  ')}`,
      `  WebSocket: ${hosts.map((h) => `ws://${h}:${broker.wsPort}`).join('  ')}`,
      `  play:      mosquitto_pub -h ${hosts[0]} -p ${broker.port} -t ${topics.instrument(1)} -m 62`,
    ].join('\n'),
  );
  return {
    async stop() {
      await status.stop();
      await broker.close();
    },
  };
}

await runService('broker', brokerEnv, start, { help });
