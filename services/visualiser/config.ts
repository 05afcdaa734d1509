import { z } from 'zod';
import { commonEnv, port } from '../../shared/config.js';

export const visualiserEnv = commonEnv.extend({
  PORT: port(3000),
  MQTT_WS_PORT: port(9001),
  /** The broker's WebSocket URL for pages, when it is not the embedded broker on this machine. */
  MQTT_WS_URL: z.url({ protocol: /^wss?$/ }).optional(),
  STATS_INTERVAL_MS: z.coerce.number().int().min(100).default(5_000),
});
export type VisualiserConfig = z.infer<typeof visualiserEnv>;
