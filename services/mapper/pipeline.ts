import { identity, map, type Observable, type SchedulerLike } from 'rxjs';
import type { Tempo } from '../../shared/contract/contract.js';
import type { IncomingMessage } from '../../shared/runtime/service.js';
import type { Topics } from '../../shared/contract/topics.js';
import { capErrors, DEFAULT_ERROR_CAP, type ErrorCap } from './cap-errors.js';
import type { Instrument } from './instruments.js';
import { limitAudience } from './limit-audience.js';
import type { MapperOutput } from './mapper-output.js';
import { quantiseAudience } from './quantise-audience.js';
import { messageReader } from './read-message.js';
import { toNotes } from './to-notes.js';

export interface MapperOptions {
  topics: Topics;
  instruments: readonly Instrument[];
  /** The pipeline's clock for rate limits: `asyncScheduler` on stage, a TestScheduler in tests. */
  scheduler: SchedulerLike;
  errorCap?: ErrorCap;
  service?: string;
  /** The room's tempo (`tempo`, retained): while it holds one, audience notes wait for the next grid step. */
  tempo$?: Observable<Tempo | null>;
}

/**
 * Incoming `instruments/N` messages → exactly one output each: a note event, a rejection with a
 * reason (published, or suppressed by the error cap), or a value dropped by the audience's rate rules.
 */
export const mapValues =
  (options: MapperOptions) =>
  (messages$: Observable<IncomingMessage>): Observable<MapperOutput> => {
    const read = messageReader(
      options.topics,
      options.instruments.map((i) => i.instrument),
      options.service ?? 'mapper',
    );
    return messages$.pipe(
      map(read),
      limitAudience(options.instruments, options.scheduler),
      toNotes(options.instruments),
      options.tempo$ ? quantiseAudience(options.tempo$, options.scheduler) : identity,
      capErrors(options.errorCap ?? DEFAULT_ERROR_CAP, options.scheduler),
    );
  };
