import { z } from 'zod';
import { commonEnv, port } from '../../shared/config.js';
import { limitsEnv } from './limits.js';

export const brokerEnv = commonEnv
  .extend({
    MQTT_WS_PORT: port(9001),
    STATS_INTERVAL_MS: z.coerce.number().int().min(100).default(5_000),
  })
  .extend(limitsEnv.shape);
export type BrokerConfig = z.infer<typeof brokerEnv>;
