import { Subject, filter, firstValueFrom } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningBroker } from '../../services/broker/broker.js';
import { sensorEnv } from '../../services/sensor/config.js';
import { reading, type SensorEvent } from '../../services/sensor/readings.js';
import { startSensor } from '../../services/sensor/sensor.js';
import { startTestBroker } from '../helpers/broker.js';
import { testLog } from '../helpers/log.js';
import { RecordingClient } from '../helpers/mqtt-client.js';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/wait.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups.length = 0;
});

const brokerOn = (port: number) => startTestBroker({}, 'openwest', { port });

describe('sensor reader across a broker outage', () => {
  it('publishes each knob once at its current position after reconnecting, not the movements made meanwhile', async () => {
    const port = await freePort();
    let broker: RunningBroker = await brokerOn(port);
    cleanups.push(() => broker.close(100));
    const url = `mqtt://127.0.0.1:${port}`;
    const source = new Subject<SensorEvent>();
    // A slow reconnect leaves the test time to subscribe on the new broker before the sensor is back.
    const sensor = await startSensor(
      sensorEnv.parse({ MQTT_URL: url, LOG_LEVEL: 'silent', SENSOR_SOURCE: 'none' }),
      testLog('sensor'),
      { source, serviceOptions: { reconnectPeriodMs: 2_000 } },
    );
    cleanups.push(() => sensor.stop());

    const before = await RecordingClient.connect(url);
    await before.subscribe('openwest/performer/#');
    source.next(reading(0, 0, 1023));
    await before.next('openwest/performer/1', (m) => m.text === '30');
    await before.close();

    const down = firstValueFrom(sensor.service.connected$.pipe(filter((up) => !up)));
    await broker.close(100);
    await down;
    for (const raw of [200, 400, 600, 800, 1023]) source.next(reading(0, raw, 1023));
    source.next(reading(1, 512, 1023));

    broker = await brokerOn(port);
    const after = await RecordingClient.connect(url);
    cleanups.push(() => after.close());
    await after.subscribe('openwest/performer/#');
    await waitFor('both knobs after the reconnect', () => after.on('openwest/performer/2').length === 1, 15_000);
    await waitFor('knob 0 after the reconnect', () => after.on('openwest/performer/1').length >= 1);
    source.next(reading(1, 0, 1023));
    await after.next('openwest/performer/2', (m) => m.text === '30');

    expect(after.on('openwest/performer/1').map((m) => m.text)).toEqual(['90']);
    expect(after.on('openwest/performer/2').map((m) => m.text)).toEqual(['60', '30']);
  });
});
