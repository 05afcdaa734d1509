import mqtt from 'mqtt';
import { afterAll, beforeAll, bench, describe } from 'vitest';
import { mapperEnv } from '../../services/mapper/config.js';
import { defaultInstruments } from '../../services/mapper/instruments.js';
import { startMapper } from '../../services/mapper/mapper.js';
import { startTestBroker, type TestBroker } from '../helpers/broker.js';
import { testLog } from '../helpers/log.js';

// npx vitest bench --run test/bench/mapper-hop.bench.ts
// One value published → its note received, over the in-process aedes broker on loopback TCP
// (client → broker → mapper → broker → client), one at a time.

let broker: TestBroker;
let client: mqtt.MqttClient;
let mapper: Awaited<ReturnType<typeof startMapper>>;
let waiting: (() => void) | undefined;

beforeAll(async () => {
  broker = await startTestBroker();
  mapper = await startMapper(mapperEnv.parse({ MQTT_URL: broker.url, LOG_LEVEL: 'silent' }), testLog('mapper'), {
    instruments: defaultInstruments.map((i) => ({ ...i, retriggerMs: 0, maxNotesPerSecond: 0 })),
  });
  client = await mqtt.connectAsync(broker.url, { protocolVersion: 4, reconnectPeriod: 0 });
  (client.stream as unknown as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
  client.on('message', () => waiting?.());
  await client.subscribeAsync('openwest/notes/1');
});

afterAll(async () => {
  await client.endAsync(true);
  await mapper.stop();
  await broker.close(100);
});

describe('mapper hop', () => {
  bench(
    'publish a value, receive its note',
    () =>
      new Promise<void>((resolve) => {
        waiting = resolve;
        client.publish('openwest/instruments/1', '62');
      }),
    { time: 3_000 },
  );
});
