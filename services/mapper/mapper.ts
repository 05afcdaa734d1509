import type { Logger } from '../../shared/logger.js';
import { startService, type ServiceOptions } from '../../shared/service.js';
import { epochNow } from '../../shared/clock.js';
import { LatencyWindow, reportStats } from '../../shared/stats.js';
import type { MapperConfig } from './config.js';
import { defaultInstruments, tableOf, type Instrument } from './instruments.js';
import { mapValues } from './pipeline.js';

export interface MapperDeps {
  instruments?: readonly Instrument[];
  serviceOptions?: ServiceOptions;
}

/** The note mapper: instruments/N → notes/N, with every refusal explained on errors. */
export async function startMapper(config: MapperConfig, log: Logger, deps: MapperDeps = {}) {
  const instruments = deps.instruments ?? defaultInstruments;
  const service = await startService('mapper', config, log, deps.serviceOptions);
  const { topics } = service;
  service.publish(topics.configInstruments, tableOf(instruments));

  const counts = { received: 0, notes: 0, rejected: 0 };
  const latency = new LatencyWindow();
  const subscription = mapValues({ topics, instruments })(service.messages(topics.instrumentsAll)).subscribe((out) => {
    counts.received += 1;
    if (out.kind === 'note') {
      counts.notes += 1;
      service.publish(topics.notes(out.event.instrument), out.event);
      latency.add(epochNow() - out.event.receivedAt);
    } else {
      counts.rejected += 1;
      service.publish(topics.errors, out.rejection);
      log.debug({ rejection: out.rejection }, 'rejected');
    }
  });
  const stats = reportStats(service, config.STATS_INTERVAL_MS, () => ({
    ...counts,
    droppedWhileOffline: service.droppedWhileOffline(),
    latencyMs: latency.percentiles(),
  }));
  log.info(`mapping ${topics.instrumentsAll} → ${topics.notesAll} (${instruments.length} instruments)`);

  return {
    service,
    async stop() {
      subscription.unsubscribe();
      stats.stop();
      await service.stop();
    },
  };
}
