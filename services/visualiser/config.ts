import { z } from 'zod';
import { commonEnv, port } from '../../shared/runtime/config.js';

export const visualiserEnv = commonEnv.extend({
  PORT: port(3000),
  MQTT_WS_PORT: port(9001),
  /** The broker's WebSocket URL for pages, when it is not the embedded broker on this machine. */
  MQTT_WS_URL: z.url({ protocol: /^wss?$/ }).optional(),
});
export type VisualiserConfig = z.infer<typeof visualiserEnv>;
