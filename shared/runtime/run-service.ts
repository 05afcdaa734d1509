import type { z } from 'zod';
import { commonEnv, ConfigError, readConfig, type CommonConfig } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { helpText, settingRows, type SettingsSchema } from './settings-doc.js';
import { STANDBY_ENV, TAKE_OVER } from './standby.js';

export interface Running {
  stop(): Promise<void>;
}

export interface RunOptions {
  /** How long a graceful stop may take before the process exits anyway. */
  graceMs?: number;
  /** Printed for `--help` above the settings, which come from the schema. */
  help?: string;
}

/**
 * The whole of a service's main: read and validate its configuration (a bad one exits with the
 * field and the reason), start it, and stop it gracefully on SIGINT/SIGTERM (a second signal,
 * or a stop slower than `graceMs`, exits at once).
 */
export async function runService<S extends z.ZodType<CommonConfig> & SettingsSchema>(
  name: string,
  schema: S,
  start: (config: z.infer<S>, log: Logger) => Promise<Running>,
  options: RunOptions = {},
): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(`${serviceHelp(name, schema, options.help)}\n`);
    process.exit(0);
  }
  if (process.env[STANDBY_ENV] === '1' && process.send) await standBy();
  // A bad environment or a bad configuration file read during start-up: the file or variable,
  // the field and the reason on stderr, and exit code 2 (the supervisor does not restart it).
  const exitOnConfigError = (error: unknown) => {
    if (!(error instanceof ConfigError)) return;
    process.stderr.write(`${name}: ${error.message}\n`);
    process.exit(2);
  };
  let config: z.infer<S>;
  try {
    config = readConfig(schema, process.env);
  } catch (error) {
    exitOnConfigError(error);
    throw error;
  }
  const log = createLogger(name, config);
  let running: Running | undefined;

  // Ctrl-C in a terminal reaches a service from the terminal and again from foreman (and npm):
  // repeats within a second are that one keypress; a later one means "now". Handlers are in place
  // before start-up, so a service still waiting for its broker stops when told to.
  let firstSignalAt: number | undefined;
  const shutdown = (signal: NodeJS.Signals) => {
    if (firstSignalAt !== undefined) {
      if (Date.now() - firstSignalAt < 1_000) return;
      log.warn(`${signal} again: exiting now`);
      process.exit(1);
    }
    firstSignalAt = Date.now();
    if (!running) {
      log.info(`${signal} while starting: exiting`);
      process.exit(0);
    }
    log.info(`${signal}: stopping`);
    const force = setTimeout(() => {
      log.error(`stop took longer than ${options.graceMs ?? 4_000} ms: exiting anyway`);
      process.exit(1);
    }, options.graceMs ?? 4_000);
    force.unref();
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  // Started by services/supervisor/main.ts (an IPC channel): if the supervisor is killed, stop gracefully.
  if (process.channel) {
    process.channel.unref();
    process.once('disconnect', () => shutdown('SIGTERM'));
  }

  try {
    running = await start(config, log);
  } catch (error) {
    exitOnConfigError(error);
    log.fatal({ err: error }, `${name} could not start: ${(error as Error).message}`);
    process.exit(1);
  }
}

/** A service's `--help`: its intro, then every setting it reads with its default, from `schema`. */
export function serviceHelp(name: string, schema: SettingsSchema, intro = `OpenWest ${name} service.`): string {
  const rows = settingRows(schema);
  const own = rows.filter((row) => !(row.name in commonEnv.shape));
  const common = rows.filter((row) => row.name in commonEnv.shape);
  return [
    intro,
    '',
    ...(own.length ? [`Settings (environment or .env; docs/services/${name}.md):`, helpText(own), ''] : []),
    'Settings every service reads (docs/services/README.md):',
    helpText(common),
  ].join('\n');
}

/**
 * A warm standby started by services/supervisor/main.ts: its code is loaded, and it waits for `start`
 * (its service died) before it reads its configuration and connects. Leaves quietly if told to
 * stop or if the supervisor goes away first.
 */
function standBy(): Promise<void> {
  return new Promise((resolve) => {
    const leave = () => process.exit(0);
    const onMessage = (message: unknown) => {
      if (message !== TAKE_OVER) return;
      process.off('message', onMessage);
      process.off('disconnect', leave);
      process.off('SIGTERM', leave);
      process.off('SIGINT', leave);
      resolve();
    };
    process.on('message', onMessage);
    process.once('disconnect', leave);
    process.once('SIGTERM', leave);
    process.once('SIGINT', leave);
  });
}
