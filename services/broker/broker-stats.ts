import type { Aedes } from 'aedes';
import { epochNow } from '../../shared/clock.js';
import type { Stats } from '../../shared/contract.js';
import type { Topics } from '../../shared/topics.js';
import type { BrokerCounters } from './refusals.js';

/** Publishes the broker's counters, retained, on `stats/broker` every `intervalMs`. */
export function reportBrokerStats(aedes: Aedes, topics: Topics, counters: BrokerCounters, intervalMs: number) {
  const publish = () => {
    const stats: Stats = { service: 'broker', at: epochNow(), connections: aedes.connectedClients, ...counters };
    aedes.publish(
      { cmd: 'publish', topic: topics.stats('broker'), payload: Buffer.from(JSON.stringify(stats)), qos: 0, retain: true, dup: false },
      () => {},
    );
  };
  const timer = setInterval(publish, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
