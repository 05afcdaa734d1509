import { epochNow } from '../contract/clock.js';
import type { Service } from './service.js';

export { LatencyWindow } from '../contract/latency-window.js';

/** Publishes `stats/<service>` (retained) every `intervalMs`, and once more on stop. */
export function reportStats(service: Service, intervalMs: number, snapshot: () => Record<string, unknown>) {
  const publish = () =>
    service.publish(service.topics.stats(service.name), { service: service.name, at: epochNow(), ...snapshot() });
  const timer = setInterval(publish, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      publish();
    },
  };
}
