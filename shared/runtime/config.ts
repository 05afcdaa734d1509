import { z } from 'zod';
import { urlHost, WILDCARDS } from './network.js';
import { DEFAULT_PREFIX } from '../contract/topics.js';

/** A configuration problem that must stop start-up: says where, which field, and why. */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
    /** Says it all in one line instead of the list (a port another program holds). */
    summary?: string,
  ) {
    super(summary ?? `invalid configuration in ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** A port someone else listens on, as the one line a performer needs. */
export const portInUse = (port: number, setting: string): ConfigError =>
  new ConfigError(
    setting,
    [`port ${port} in use`],
    `port ${port} in use — is OpenWest already running? stop it or set ${setting}`,
  );

export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

/** The embedded broker's WebSocket port: the broker listens on it, the visualiser tells pages about it. */
export const mqttWsPort = port(9001).describe(
  "the embedded broker's WebSocket port (browsers connect to it on the host they opened the page from)",
);

/** Settings every service reads; each service extends this with its own. */
export const commonEnv = z.object({
  MQTT_URL: z
    .url({ protocol: /^(mqtts?|wss?|tcp)$/ })
    .optional()
    .describe('an external broker for every service, e.g. mqtt://host:1883; unset: the embedded broker on this machine')
    .meta({ example: 'mqtt://127.0.0.1:1883' }),
  MQTT_PORT: port(1883).describe("the embedded broker's TCP port"),
  BIND_HOST: z
    .string()
    .min(1)
    .default('0.0.0.0')
    .describe(
      'the address the broker and the web page listen on (0.0.0.0: every interface, so phones on the LAN connect)',
    ),
  TOPIC_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/, 'letters, digits, - and _ in levels separated by /')
    .default(DEFAULT_PREFIX)
    .describe('the first level(s) of every topic: <prefix>/instruments/N and the rest'),
  SERVICE_USERNAME: z.string().default('service').describe('the user name services log in with'),
  SERVICE_PASSWORD: z
    .string()
    .optional()
    .describe(
      'the password services log in with; everyone else is audience. npm start writes a random one to .env; unset: the broker lets every client in as a service',
    ),
  LOG_LEVEL: z
    .enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'])
    .default('info')
    .describe('trace, debug, info, warn, error, fatal or silent'),
  LOG_FORMAT: z
    .enum(['pretty', 'json'])
    .default('pretty')
    .describe('pretty (one coloured line) or json (one object a line)'),
  // How the session id is made: shared/runtime/session.ts.
  MQTT_SESSION: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/, 'auto, off, or a tag of letters, digits, - and _ (at most 40)')
    .default('auto')
    .describe(
      "the mapper's and synth's persistent session: auto (id <service>-<hash of host and prefix>), a tag for a second copy on one machine, or off (a clean session)",
    ),
  STATS_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(5_000)
    .describe('how often a service publishes its retained stats, in ms'),
});
export type CommonConfig = z.infer<typeof commonEnv>;

/**
 * Validates `env` against `schema`. Throws ConfigError naming every bad field with what was
 * expected and what was given (e.g. `MQTT_PORT: Too big: expected number to be <=65535, got "70000"`).
 */
export function readConfig<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined>,
  source = 'the environment',
): z.infer<S> {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  throw new ConfigError(source, describeIssues(result.error, cleaned));
}

export function describeIssues(error: z.ZodError, input: unknown): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.') || '(root)';
    const given = valueAt(input, issue.path);
    const got = given === undefined ? '' : `, got ${JSON.stringify(given)}`;
    return `${path}: ${issue.message}${got}`;
  });
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let here = input;
  for (const key of path) {
    if (here === null || typeof here !== 'object') return undefined;
    here = (here as Record<PropertyKey, unknown>)[key];
  }
  return here;
}

/** Where services find the broker: MQTT_URL, or the embedded broker on this machine. */
export function brokerUrl(config: CommonConfig): string {
  if (config.MQTT_URL) return config.MQTT_URL;
  const host = WILDCARDS.has(config.BIND_HOST) ? '127.0.0.1' : config.BIND_HOST;
  return `mqtt://${urlHost(host)}:${config.MQTT_PORT}`;
}
