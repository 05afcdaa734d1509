import { z } from 'zod';

/**
 * What the page fetches from `/config.json` before it connects: the same answer for every
 * request (nothing from the request, such as its Host header, is reflected in it). No node-only
 * imports here: the page imports this file too.
 */
export const pageConfigSchema = z.object({
  prefix: z.string().min(1),
  /** The embedded broker's MQTT-over-WebSocket port, on the host the page was loaded from. */
  wsPort: z.number().int().min(1).max(65535),
  /** A fixed broker URL (MQTT_WS_URL: an external broker) instead. */
  mqttUrl: z.url({ protocol: /^wss?$/ }).optional(),
  /**
   * The page's address for phones on the LAN (the visualiser's first reachable host, as its
   * start-up banner prints it): the stage shows it and its QR code. Absent when none is known.
   */
  joinUrl: z.url({ protocol: /^https?$/ }).optional(),
});
export type PageConfig = z.infer<typeof pageConfigSchema>;

export const PAGE_CONFIG_PATH = '/config.json';
/** A QR code (SVG) of `joinUrl`, served beside the config when there is one. */
export const JOIN_QR_PATH = '/join.svg';

export function pageConfigOf(source: {
  prefix: string;
  wsPort: number;
  fixedUrl?: string | undefined;
  joinUrl?: string | undefined;
}): PageConfig {
  return {
    prefix: source.prefix,
    wsPort: source.wsPort,
    ...(source.fixedUrl ? { mqttUrl: source.fixedUrl } : {}),
    ...(source.joinUrl ? { joinUrl: source.joinUrl } : {}),
  };
}

/**
 * The broker URL for a page loaded from `pageHostname` (the browser's `location.hostname`): the
 * same host, the broker's WebSocket port. A phone that opened http://192.168.1.20:3000 gets
 * ws://192.168.1.20:9001, not localhost.
 */
export function brokerUrlFor(config: PageConfig, pageHostname: string): string {
  if (config.mqttUrl) return config.mqttUrl;
  const host = pageHostname.includes(':') && !pageHostname.startsWith('[') ? `[${pageHostname}]` : pageHostname;
  return `ws://${host}:${config.wsPort}`;
}
