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
