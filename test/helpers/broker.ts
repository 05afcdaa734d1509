import { startBroker, type RunningBroker } from '../../services/broker/broker.js';
import { createHooks, type BrokerHooks, type HookOptions } from '../../services/broker/hooks.js';
import { commonEnv, type CommonConfig } from '../../shared/runtime/config.js';
import { DEFAULT_PREFIX } from '../../shared/contract/topics.js';

export interface TestBroker extends RunningBroker {
  url: string;
  wsUrl: string;
  hooks: BrokerHooks;
}

/** The embedded broker, in this process, on free loopback ports. */
export async function startTestBroker(
  hookOptions: Partial<HookOptions> = {},
  prefix = DEFAULT_PREFIX,
  ports: { port?: number; wsPort?: number } = {},
): Promise<TestBroker> {
  const hooks = createHooks({ serviceUsername: 'service', prefix, ...hookOptions });
  const broker = await startBroker({
    host: '127.0.0.1',
    port: ports.port ?? 0,
    wsPort: ports.wsPort ?? 0,
    prefix,
    hooks,
  });
  return Object.assign(broker, {
    hooks,
    url: `mqtt://127.0.0.1:${broker.port}`,
    wsUrl: `ws://127.0.0.1:${broker.wsPort}`,
  });
}

/** A service configuration pointing at `url`, as the environment would give it. */
export function configFor<T extends object = object>(url: string, extra: T = {} as T): CommonConfig & T {
  return { ...commonEnv.parse({ MQTT_URL: url, LOG_LEVEL: 'silent' }), ...extra };
}
