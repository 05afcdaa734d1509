import { z } from 'zod';
import { commonEnv, mqttWsPort } from '../../shared/runtime/config.js';
import { limitsEnv } from './limits.js';

export const brokerEnv = commonEnv
  .extend({
    MQTT_WS_PORT: mqttWsPort,
  })
  .extend(limitsEnv.shape);
export type BrokerConfig = z.infer<typeof brokerEnv>;
