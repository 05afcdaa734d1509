import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brokerEnv } from '../../services/broker/config.js';
import { mapperEnv } from '../../services/mapper/config.js';
import { sensorEnv } from '../../services/sensor/config.js';
import { supervisorEnv } from '../../services/supervisor/config.js';
import { synthEnv } from '../../services/synth/config.js';
import { visualiserEnv } from '../../services/visualiser/config.js';

/** Every OpenWest setting: a test's processes get none of them from the developer's shell. */
const SETTINGS = new Set([
  ...[brokerEnv, mapperEnv, sensorEnv, synthEnv, visualiserEnv].flatMap((schema) => Object.keys(schema.shape)),
  'VISUALISER_PORT',
]);
/** The supervisor's own knobs: left out, so it starts with its defaults. */
const SUPERVISOR = Object.keys(supervisorEnv.shape);

/**
 * The environment of a process a test starts: this process's, with every OpenWest setting the
 * test does not give set to empty (which the services read as unset), plus exactly what the test
 * sets. Empty, not absent: a tool that reads `.env` itself (the score player, by hand) keeps what
 * the environment says, so a developer's exported SERVICE_PASSWORD or the `.env` that `npm start`
 * wrote reaches no test. With `envFile` (below) foreman reads no `.env` either.
 */
export function testEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of SETTINGS) env[key] = '';
  for (const key of SUPERVISOR) delete env[key];
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
