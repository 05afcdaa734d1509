import { z } from 'zod';
import { commonEnv, mqttWsPort, port } from '../../shared/runtime/config.js';

export const visualiserEnv = commonEnv.extend({
  // Read by the Procfile, not by the service: foreman gives every process its own PORT.
  VISUALISER_PORT: port(3000).describe(
    "the web page's port under foreman (npm start): the Procfile passes it on as PORT",
  ),
  PORT: port(3000).describe("the web page's port when the visualiser runs alone (under foreman: VISUALISER_PORT)"),
  MQTT_WS_PORT: mqttWsPort,
  MQTT_WS_URL: z
    .url({ protocol: /^wss?$/ })
    .optional()
    .describe(
      "the broker's WebSocket URL for pages (ws:// or wss://) when it is not the embedded broker; unset: the embedded broker on the host the page came from",
    )
    .meta({ example: 'ws://broker.example:9001' }),
});
export type VisualiserConfig = z.infer<typeof visualiserEnv>;
