import type { Aedes } from 'aedes';
import { epochNow } from '../../shared/contract/clock.js';
import type { Stats, Status } from '../../shared/contract/contract.js';
import type { Topics } from '../../shared/contract/topics.js';
import type { AdmissionCounts } from './audience-admission.js';
import type { BrokerCounters } from './refusals.js';

/**
 * The broker is a service too: it publishes its own retained status and stats from inside
 * (it has no client connection, so no Last Will; `offline` is published on a graceful close).
 * Stats: connections now, connects so far, the broker's counters (publishes, refusals, drops) and
 * `room`, what admission control did with the audience's values.
 */
export function reportBrokerStatus(
  aedes: Aedes,
  topics: Topics,
  refusals: BrokerCounters,
  room: () => AdmissionCounts,
  intervalMs: number,
) {
  const startedAt = epochNow();
  const counts = { connects: 0 };
  aedes.on('client', () => (counts.connects += 1));
  const publish = (topic: string, payload: object, qos: 0 | 1) =>
    new Promise<void>((resolve) =>
      aedes.publish(
        { cmd: 'publish', topic, payload: Buffer.from(JSON.stringify(payload)), qos, retain: true, dup: false },
        () => resolve(),
      ),
    );
  const status = (state: Status['state']) =>
    publish(topics.status('broker'), { service: 'broker', state, pid: process.pid, startedAt } satisfies Status, 1);
  const stats = () =>
    publish(
      topics.stats('broker'),
      {
        service: 'broker',
        at: epochNow(),
        connections: aedes.connectedClients,
        ...counts,
        ...refusals,
        room: room(),
      } satisfies Stats,
      0,
    );

  void status('online');
  // publish never rejects (aedes calls back either way), so there is nothing to catch here
  const timer = setInterval(() => void stats(), intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await stats();
      await status('offline');
    },
  };
}
