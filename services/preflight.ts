import { createServer } from 'node:net';
import type { z } from 'zod';
import { brokerEnv } from './broker/config.js';
import { loadInstruments } from './mapper/instruments-file.js';
import { mapperEnv } from './mapper/config.js';
import { sensorEnv } from './sensor/config.js';
import { supervisorEnv } from './supervisor/config.js';
import { synthEnv } from './synth/config.js';
import { visualiserEnv } from './visualiser/config.js';
import { ConfigError, portInUse, readConfig } from '../shared/runtime/config.js';

type Env = Record<string, string | undefined>;

const SERVICES: [string, z.ZodType][] = [
  ['broker', brokerEnv],
  ['mapper', mapperEnv],
  ['synth', synthEnv],
  ['sensor', sensorEnv],
  ['visualiser', visualiserEnv],
  ['supervisor', supervisorEnv],
];

/**
 * What `npm start` checks before foreman starts anything: every service's settings (and the
 * mapper's INSTRUMENTS_FILE), and that the ports the show listens on are free. A second copy on
 * the same machine stops here, so it never connects a mapper or synth to the running show's
 * broker with the show's session ids. Returns the problems, one line each; none: go.
 */
export async function preflight(env: Env): Promise<string[]> {
  const problems: string[] = [];
  const said = (name: string, error: unknown) => {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(`${name}: ${error.message}`);
  };
  for (const [name, schema] of SERVICES) {
    try {
      readConfig(schema, name === 'visualiser' ? { ...env, PORT: env.VISUALISER_PORT ?? '3000' } : env);
    } catch (error) {
      said(name, error);
    }
  }
  try {
    loadInstruments(env.INSTRUMENTS_FILE || undefined);
  } catch (error) {
    said('mapper', error);
  }
  if (problems.length > 0) return problems;
  const host = env.BIND_HOST || '0.0.0.0';
  // With MQTT_URL the services use another broker: only the page's port is this machine's.
  const ports = env.MQTT_URL
    ? ([['VISUALISER_PORT', 3000]] as const)
    : ([
        ['MQTT_PORT', 1883],
        ['MQTT_WS_PORT', 9001],
        ['VISUALISER_PORT', 3000],
      ] as const);
  for (const [setting, fallback] of ports) {
    const port = Number(env[setting] || fallback);
    if (port === 0) continue;
    const error = await listenError(port, host);
    if (error === 'EADDRINUSE') problems.push(portInUse(port, setting).message);
    else if (error) problems.push(`cannot listen on ${host}:${port} (${error}): check BIND_HOST and ${setting}`);
  }
  return problems;
}

/** Tries to listen; the error code if it cannot (EADDRINUSE: someone else is there). */
function listenError(port: number, host: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    server.listen(port, host, () => server.close(() => resolve(undefined)));
  });
}
