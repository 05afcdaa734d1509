import { commonEnv, port } from '../../shared/config.js';

export const brokerEnv = commonEnv.extend({
  MQTT_WS_PORT: port(9001),
});
export type BrokerConfig = ReturnType<typeof brokerEnv.parse>;
