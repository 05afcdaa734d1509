import { map, type Observable, type SchedulerLike } from 'rxjs';
import type { IncomingMessage } from '../../shared/runtime/service.js';
import type { Topics } from '../../shared/contract/topics.js';
import { capErrors, DEFAULT_ERROR_CAP, type ErrorCap } from './cap-errors.js';
import type { Instrument } from './instruments.js';
import type { MapperOutput } from './mapper-output.js';
import { messageReader } from './read-message.js';
import { throttlePerInstrument } from './throttle-per-instrument.js';
import { toNotes } from './to-notes.js';

export interface MapperOptions {
  topics: Topics;
  instruments: readonly Instrument[];
  /** The pipeline's clock for rate limits: `asyncScheduler` on stage, a TestScheduler in tests. */
  scheduler: SchedulerLike;
  errorCap?: ErrorCap;
  service?: string;
}

/**
 * Incoming `instruments/N` messages → exactly one output each: a note event, a rejection with a
 * reason (published, or suppressed by the error cap), or a value dropped by the rate limit.
 */
export const mapValues =
  (options: MapperOptions) =>
  (messages$: Observable<IncomingMessage>): Observable<MapperOutput> => {
    const read = messageReader(
      options.topics,
      options.instruments.map((i) => i.instrument),
      options.service ?? 'mapper',
    );
    const minIntervalMs: number[] = [];
    for (const i of options.instruments) minIntervalMs[i.instrument] = i.minIntervalMs;
    return messages$.pipe(
      map(read),
      throttlePerInstrument((n) => minIntervalMs[n] ?? 0, options.scheduler),
      toNotes(options.instruments),
      capErrors(options.errorCap ?? DEFAULT_ERROR_CAP, options.scheduler),
    );
  };
