import { startBroker, type RunningBroker } from '../../services/broker/broker.js';
import { createHooks, type HookOptions } from '../../services/broker/hooks.js';
import { commonEnv, type CommonConfig } from '../../shared/config.js';
import { DEFAULT_PREFIX } from '../../shared/topics.js';

export interface TestBroker extends RunningBroker {
  url: string;
  wsUrl: string;
}

/** The embedded broker, in this process, on free loopback ports. */
export async function startTestBroker(hooks: Partial<HookOptions> = {}, prefix = DEFAULT_PREFIX): Promise<TestBroker> {
  const broker = await startBroker({
    host: '127.0.0.1',
    port: 0,
    wsPort: 0,
    prefix,
    hooks: createHooks({ serviceUsername: 'service', ...hooks }),
  });
  return Object.assign(broker, {
    url: `mqtt://127.0.0.1:${broker.port}`,
    wsUrl: `ws://127.0.0.1:${broker.wsPort}`,
  });
}

/** A service configuration pointing at `url`, as the environment would give it. */
export function configFor<T extends object = object>(url: string, extra: T = {} as T): CommonConfig & T {
  return { ...commonEnv.parse({ MQTT_URL: url, LOG_LEVEL: 'silent' }), ...extra };
}
