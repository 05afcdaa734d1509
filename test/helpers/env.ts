import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brokerEnv } from '../../services/broker/config.js';
import { mapperEnv } from '../../services/mapper/config.js';
import { sensorEnv } from '../../services/sensor/config.js';
import { synthEnv } from '../../services/synth/config.js';
import { visualiserEnv } from '../../services/visualiser/config.js';

/** Every OpenWest setting: a test's processes get none of them from the developer's shell. */
const SETTINGS = new Set([
  ...[brokerEnv, mapperEnv, sensorEnv, synthEnv, visualiserEnv].flatMap((schema) => Object.keys(schema.shape)),
  'VISUALISER_PORT',
  'RESTART_DELAY_MS',
  'STANDBY_DELAY_MS',
  'MAX_QUICK_RESTARTS',
  'SUPERVISE_STANDBY',
]);

/**
 * The environment of a process a test starts: this process's, less every OpenWest setting a
 * developer may have exported (their SERVICE_PASSWORD, a MQTT_URL), plus exactly what the test
 * sets. With `envFile` (below) for foreman, a `.env` left by `npm start` is never read either.
 */
export function testEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!SETTINGS.has(key)) env[key] = value;
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) env[key] = value;
  return env;
}

let emptyEnvFile: string | undefined;

/** An empty env file for foreman's `-e`, so it does not read the `.env` beside the Procfile. */
export function envFile(): string {
  if (!emptyEnvFile) {
    emptyEnvFile = join(mkdtempSync(join(tmpdir(), 'openwest-env-')), 'empty.env');
    writeFileSync(emptyEnvFile, '# a test sets its settings in the environment\n');
  }
  return emptyEnvFile;
}
