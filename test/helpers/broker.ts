import { startBroker, type RunningBroker } from '../../services/broker/broker.js';
import { createHooks, type BrokerHooks, type HookOptions } from '../../services/broker/hooks.js';
import { commonEnv, type CommonConfig } from '../../shared/runtime/config.js';
import { reportBrokerStatus } from '../../services/broker/broker-status.js';
import type { GuardedConnection } from '../../services/broker/guarded-connection.js';
import { DEFAULT_PREFIX, makeTopics } from '../../shared/contract/topics.js';

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

/** The broker's status and stats on `openwest/…/broker`, as the broker service reports them, every `intervalMs`. */
export const reportStatus = (broker: TestBroker, intervalMs: number) =>
  reportBrokerStatus(broker.aedes, makeTopics(), broker.hooks.counters, () => broker.hooks.admission(), intervalMs);

/** The broker's side of a client's connection (aedes keeps its clients by id). */
export const connectionOf = (broker: TestBroker, clientId: string): GuardedConnection =>
  (broker.aedes as unknown as { clients: Record<string, { conn: GuardedConnection }> }).clients[clientId]!.conn;
