import { z } from 'zod';

/**
 * What the page fetches from `/config.json` before it connects. No node-only imports here: the
 * page imports this file too.
 */
export const pageConfigSchema = z.object({
  /** The broker's MQTT-over-WebSocket URL as seen from the browser that asked. */
  mqttUrl: z.url({ protocol: /^wss?$/ }),
  prefix: z.string().min(1),
});
export type PageConfig = z.infer<typeof pageConfigSchema>;

export const PAGE_CONFIG_PATH = '/config.json';

export interface PageConfigSource {
  prefix: string;
  wsPort: number;
  /** A fixed URL (an external broker) wins over the one derived from the Host header. */
  fixedUrl?: string | undefined;
  /** Used when the request carries no usable Host header. */
  fallbackHost: string;
}

/**
 * The broker URL for a browser that reached us as `hostHeader`: the same host name, the broker's
 * WebSocket port. A phone that opened http://192.168.1.20:3000 gets ws://192.168.1.20:9001, not
 * localhost.
 */
export function pageConfigFor(hostHeader: string | undefined, source: PageConfigSource): PageConfig {
  if (source.fixedUrl) return { mqttUrl: source.fixedUrl, prefix: source.prefix };
  return { mqttUrl: `ws://${hostnameOf(hostHeader) ?? source.fallbackHost}:${source.wsPort}`, prefix: source.prefix };
}

/** The host name of a Host header (`[::1]:3000` → `[::1]`), or undefined when it is not one. */
export function hostnameOf(hostHeader: string | undefined): string | undefined {
  if (!hostHeader || /[\s/?#@\\]/.test(hostHeader)) return undefined;
  try {
    const { hostname } = new URL(`http://${hostHeader}`);
    return hostname || undefined;
  } catch {
    return undefined;
  }
}
