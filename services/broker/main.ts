import { runService } from '../../shared/runtime/run-service.js';
import { startBrokerService } from './broker-service.js';
import { brokerEnv } from './config.js';
import { limitsEnv } from './limits.js';

/** `NAME (default)` for every limit, from the schema itself, so the help cannot fall behind it. */
function limitsHelp(indent: string, width = 96): string {
  const lines: string[] = [];
  let line = indent;
  for (const [name, value] of Object.entries(limitsEnv.parse({}))) {
    const item = `${name} (${String(value)})`;
    if (line.length + item.length + 1 > width && line !== indent) {
      lines.push(line);
      line = indent;
    }
    line += line === indent ? item : ` ${item}`;
  }
  return [...lines, line].join('\n');
}

const help = `OpenWest embedded MQTT broker (aedes).
  MQTT_PORT (1883)  MQTT_WS_PORT (9001)  BIND_HOST (0.0.0.0)  TOPIC_PREFIX (openwest)  STATS_INTERVAL_MS (5000)
  SERVICE_PASSWORD  password services log in with as SERVICE_USERNAME (service); without it every
                    client has full access (npm start creates one in .env)
  Limits (docs/services/broker.md):
${limitsHelp('    ')}
  With MQTT_URL set, the services use that broker and this one stays idle.`;

await runService('broker', brokerEnv, startBrokerService, { help });
