import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { CommonConfig } from './config.js';

export type { Logger };

/** One structured logger per process; human-readable by default, JSON with LOG_FORMAT=json. */
export function createLogger(service: string, config: Pick<CommonConfig, 'LOG_LEVEL' | 'LOG_FORMAT'>): Logger {
  const options = { name: service, level: config.LOG_LEVEL };
  if (config.LOG_FORMAT === 'json') return pino(options);
  return pino(
    options,
    pretty({ sync: true, colorize: process.stdout.isTTY, ignore: 'pid,hostname', translateTime: 'HH:MM:ss.l' }),
  );
}

/**
 * Says each distinct problem once at `level` and later ones at debug (only built when debug is
 * on), so a flood of the same bad input cannot stall a service on synchronous logging. Remembers
 * at most `max` problems; past that, new ones are said at `level` every time they come.
 */
export function oncePerProblem(log: Logger, level: 'warn' | 'error', max = 100) {
  const said = new Set<string>();
  return (problem: string, describe: (again: boolean) => string): void => {
    if (said.has(problem)) {
      if (log.isLevelEnabled('debug')) log.debug(describe(true));
      return;
    }
    if (said.size < max) said.add(problem);
    log[level](describe(false));
  };
}
