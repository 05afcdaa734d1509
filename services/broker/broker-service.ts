import type { Logger } from '../../shared/runtime/logger.js';
import { reachableHosts, urlHost } from '../../shared/runtime/network.js';
import { makeTopics } from '../../shared/contract/topics.js';
import { startBroker } from './broker.js';
import { reportBrokerStatus } from './broker-status.js';
import type { BrokerConfig } from './config.js';
import { createHooks } from './hooks.js';
import { limitsFrom } from './limits.js';

/**
 * The broker service: the embedded broker with its hooks, status and stats, and the one banner
 * saying where to connect; idle when MQTT_URL points the services at another broker.
 */
export async function startBrokerService(config: BrokerConfig, log: Logger) {
  if (config.MQTT_URL) {
    log.info(`MQTT_URL is set: services use ${config.MQTT_URL}; the embedded broker is not started`);
    const idle = setInterval(() => {}, 1 << 30);
    return {
      stop: () => {
        clearInterval(idle);
        return Promise.resolve();
      },
    };
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
  const status = reportBrokerStatus(
    broker.aedes,
    topics,
    hooks.counters,
    () => hooks.admission(),
    config.STATS_INTERVAL_MS,
  );
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
      const held = hooks.counters.unacknowledgedAtClose;
      if (held > 0)
        log.warn(`closed holding ${held} messages for services not yet acknowledged by them (lost with this broker)`);
    },
  };
}
