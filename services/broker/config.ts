import { z } from 'zod';
import { commonEnv, port } from '../../shared/runtime/config.js';
import { limitsEnv } from './limits.js';

export const brokerEnv = commonEnv
  .extend({
    MQTT_WS_PORT: port(9001),
  })
  .extend(limitsEnv.shape);
export type BrokerConfig = z.infer<typeof brokerEnv>;
