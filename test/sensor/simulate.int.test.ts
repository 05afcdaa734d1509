import { afterEach, describe, expect, it } from 'vitest';
import { sensorEnv } from '../../services/sensor/config.js';
import { startSensor } from '../../services/sensor/sensor.js';
import { INSTRUMENT_VALUE_MAX, INSTRUMENT_VALUE_MIN } from '../../shared/contract/contract.js';
import { startTestBroker } from '../helpers/broker.js';
import { testLog } from '../helpers/log.js';
import { RecordingClient } from '../helpers/mqtt-client.js';
import { waitFor } from '../helpers/wait.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('SENSOR_SOURCE=simulate (a demo with no hardware)', () => {
  it('moves SIMULATE_KNOBS knobs SIMULATE_RATE times a second: values 30-90 on those knobs’ instruments only', async () => {
    const broker = await startTestBroker();
    cleanups.push(() => broker.close(100));
    const audience = await RecordingClient.connect(broker.url);
    cleanups.push(() => audience.close());
    await audience.subscribe('openwest/performer/#', 'openwest/stats/sensor');
    const config = sensorEnv.parse({
      MQTT_URL: broker.url,
      LOG_LEVEL: 'silent',
      STATS_INTERVAL_MS: '200',
      SENSOR_SOURCE: 'simulate',
      SIMULATE_KNOBS: '2',
      SIMULATE_RATE: '20',
      KNOB_INSTRUMENTS: '4,7',
    });
    const sensor = await startSensor(config, testLog('sensor'));
    cleanups.push(() => sensor.stop());

    const values = () => audience.received.filter((m) => m.topic.startsWith('openwest/performer/'));
    await waitFor('values from both knobs', () => new Set(values().map((m) => m.topic)).size === 2, 10_000);
    expect(new Set(values().map((m) => m.topic))).toEqual(new Set(['openwest/performer/4', 'openwest/performer/7']));
    for (const m of values()) {
      expect(Number(m.text)).toBeGreaterThanOrEqual(INSTRUMENT_VALUE_MIN);
      expect(Number(m.text)).toBeLessThanOrEqual(INSTRUMENT_VALUE_MAX);
    }
    const stats = await audience.next(
      'openwest/stats/sensor',
      (m) => m.json<{ device: string | null }>().device !== null,
    );
    expect(stats.json()).toMatchObject({
      source: 'simulate',
      device: 'simulated: 2 knobs, each moving 20 times a second',
    });
  });
});
