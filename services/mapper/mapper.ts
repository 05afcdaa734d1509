import { asyncScheduler, merge, share, tap } from 'rxjs';
import type { Logger } from '../../shared/runtime/logger.js';
import { startService, type ServiceOptions } from '../../shared/runtime/service.js';
import { epochNow } from '../../shared/contract/clock.js';
import { reportStats } from '../../shared/runtime/stats.js';
import type { MapperConfig } from './config.js';
import { tableOf, type Instrument } from './instruments.js';
import { loadInstruments } from './instruments-file.js';
import { MapperStats } from './mapper-stats.js';
import { mapValues } from './pipeline.js';
import { rejection } from './rejection.js';
import { roomTempo } from './room-tempo.js';
import { stepMsOf } from './tempo-grid.js';

export interface MapperDeps {
  /** The instrument table to use instead of the defaults with INSTRUMENTS_FILE laid over them. */
  instruments?: readonly Instrument[];
  serviceOptions?: ServiceOptions;
}

/**
 * The note mapper: instruments/N → notes/N, with every refusal explained on errors (up to a
 * rate), the effective instrument table retained on config/instruments, and stats.
 * A bad INSTRUMENTS_FILE throws a ConfigError before anything connects.
 */
export async function startMapper(config: MapperConfig, log: Logger, deps: MapperDeps = {}) {
  const instruments = deps.instruments ?? loadInstruments(config.INSTRUMENTS_FILE);
  const service = await startService('mapper', config, log, { durable: true, ...deps.serviceOptions });
  const { topics } = service;
  service.publish(topics.configInstruments, tableOf(instruments));
  // The room's tempo is whatever `tempo` holds last (retained), whoever set it; TEMPO_BPM sets it at start.
  if (config.TEMPO_BPM !== undefined) {
    service.publish(topics.tempo, {
      bpm: config.TEMPO_BPM,
      steps: config.TEMPO_STEPS === 2 ? 2 : 4,
      since: Date.now(),
    });
  }
  const tempo$ = roomTempo(service.messages(topics.tempo), (m, reason) =>
    service.publish(topics.errors, rejection('mapper', m, reason)),
  ).pipe(
    tap((tempo) =>
      log.info(
        tempo
          ? `tempo ${tempo.bpm} bpm: audience notes wait for the next ${stepMsOf(tempo).toFixed(1)} ms step`
          : 'no tempo: audience notes play at once',
      ),
    ),
    share(),
  );

  const stats = new MapperStats();
  const outputs$ = mapValues({
    topics,
    instruments,
    scheduler: asyncScheduler,
    errorCap: { limit: config.MAX_ERRORS_PER_SECOND, windowMs: 1_000 },
    tempo$,
  })(merge(service.messages(topics.performerAll), service.messages(topics.instrumentsAll)));
  const subscription = outputs$.subscribe((out) => {
    stats.count(out);
    if (out.kind === 'note') {
      service.publish(topics.notes(out.event.instrument), out.event);
      // Arrival → publish, less the wait for a grid step (counted on its own).
      stats.latency.add(epochNow() - (out.event.dueAt ?? out.event.receivedAt));
      if (out.event.dueAt !== undefined) stats.stepWait.add(out.event.dueAt - out.event.receivedAt);
    } else if (out.kind === 'rejection') {
      service.publish(topics.errors, out.rejection);
      log.debug({ rejection: out.rejection }, 'rejected');
    }
  });
  const reporter = reportStats(service, config.STATS_INTERVAL_MS, () => ({
    ...stats.snapshot(),
    droppedWhileOffline: service.droppedWhileOffline(),
  }));
  log.info(
    `mapping ${topics.instrumentsAll} and ${topics.performerAll} → ${topics.notesAll} (${instruments.length} instruments` +
      `${config.INSTRUMENTS_FILE ? `, overrides from ${config.INSTRUMENTS_FILE}` : ''})`,
  );

  return {
    service,
    instruments,
    async stop() {
      subscription.unsubscribe();
      reporter.stop();
      await service.stop();
    },
  };
}
