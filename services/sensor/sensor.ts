import { filter, map, share, Subscription, type Observable } from 'rxjs';
import type { Logger } from '../../shared/runtime/logger.js';
import { startService, type ServiceOptions } from '../../shared/runtime/service.js';
import { reportStats } from '../../shared/runtime/stats.js';
import { chooseSource, type SourceDeps } from './choose-source.js';
import { instrumentOf, type SensorConfig } from './config.js';
import { knobValues } from './knob-values.js';
import { positionsAfterOutage } from './positions-after-outage.js';
import type { KnobReading, SensorEvent } from './readings.js';
import { openEasymidiInput, type MidiInputSystem } from './sources/midi-input.js';

export interface SensorDeps extends Pick<Partial<SourceDeps>, 'listPorts'> {
  /** easymidi's inputs, or a double of them (tests: no MIDI system here). */
  midiInputs?: MidiInputSystem;
  /** Read from this instead of the source SENSOR_SOURCE names (tests). */
  source?: Observable<SensorEvent>;
  serviceOptions?: ServiceOptions;
}

/** The sensor reader: knob readings → values 30–90 on the performer's lane (performer/N), only when they change. */
export async function startSensor(config: SensorConfig, log: Logger, deps: SensorDeps = {}) {
  const service = await startService('sensor', config, log, deps.serviceOptions);
  const { topics } = service;
  const events$ = (
    deps.source ??
    chooseSource(config, {
      openMidiInput: (match) => openEasymidiInput(match, deps.midiInputs),
      listPorts: deps.listPorts,
    })
  ).pipe(share());

  const stats = {
    source: config.SENSOR_SOURCE,
    device: null as string | null,
    firmware: null as string | null,
    lines: 0,
    malformed: 0,
    readings: 0,
    publishes: 0,
  };
  // A wait is routine under `auto` (no Arduino on this laptop today), worth a warning otherwise.
  // Sources say why they wait at every retry; the log says it once, until something changes.
  const say = (config.SENSOR_SOURCE === 'auto' ? log.info : log.warn).bind(log);
  let lastWaiting = '';
  const sayWaiting = (message: string) => {
    if (message !== lastWaiting) say(message);
    lastWaiting = message;
  };

  const subscription = new Subscription();
  subscription.add(
    events$.subscribe((e) => {
      if (e.kind === 'reading' || e.kind === 'line' || e.kind === 'hello' || e.kind === 'malformed') stats.lines += 1;
      switch (e.kind) {
        case 'reading':
          stats.readings += 1;
          break;
        case 'malformed':
          stats.malformed += 1;
          log.debug(`skipped a malformed line ${JSON.stringify(e.line)}: ${e.reason}`);
          break;
        case 'hello':
          stats.firmware = `${e.firmware} ${e.version}`;
          log.info(`${stats.device ?? 'device'} runs ${e.firmware} ${e.version} with ${e.knobs} knobs`);
          break;
        case 'attached':
          lastWaiting = '';
          stats.device = e.device;
          log.info(`reading knobs from ${e.device}`);
          break;
        case 'detached':
          stats.device = null;
          log.warn(`lost ${e.device} (${e.reason}); waiting for it to come back`);
          break;
        case 'waiting':
          sayWaiting(e.message);
          break;
        case 'line':
          break;
      }
    }),
  );

  const readings$ = events$.pipe(
    filter((e): e is Extract<SensorEvent, { kind: 'reading' }> => e.kind === 'reading'),
    map((e): KnobReading => e.reading),
  );
  const values$ = knobValues({
    instrumentOf: instrumentOf(config.KNOB_INSTRUMENTS),
    hysteresis: config.KNOB_HYSTERESIS,
  })(readings$).pipe(positionsAfterOutage(service.connected$));
  subscription.add(
    values$.subscribe((v) => {
      stats.publishes += 1;
      service.publish(topics.performer(v.instrument), String(v.value));
    }),
  );
  const reporter = reportStats(service, config.STATS_INTERVAL_MS, () => ({ ...stats }));
  if (config.SENSOR_SOURCE === 'none') log.info('SENSOR_SOURCE=none: not reading any knobs');

  return {
    service,
    async stop() {
      subscription.unsubscribe();
      reporter.stop();
      await service.stop();
    },
  };
}
