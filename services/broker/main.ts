import { runService } from '../../shared/runtime/run-service.js';
import { startBrokerService } from './broker-service.js';
import { brokerEnv } from './config.js';

await runService('broker', brokerEnv, startBrokerService, {
  help: `OpenWest embedded MQTT broker (aedes): the service role logs in with SERVICE_PASSWORD, everyone else is
audience and held to the limits below. With MQTT_URL set, the services use that broker and this one stays idle.`,
});
