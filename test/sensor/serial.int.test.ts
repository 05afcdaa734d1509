import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sensorEnv } from '../../services/sensor/config.js';
import { startSensor } from '../../services/sensor/sensor.js';
import type { PortInfo } from '../../services/sensor/sources/find-arduino.js';
import { startTestBroker, type TestBroker } from '../helpers/broker.js';
import { capturingLog } from '../helpers/capture-log.js';
import { testLog } from '../helpers/log.js';
import { RecordingClient } from '../helpers/mqtt-client.js';
import { startPtyPair, type PtyPair } from '../helpers/socat.js';
import { waitFor } from '../helpers/wait.js';

let broker: TestBroker;
let audience: RecordingClient;
let pty: PtyPair;
let stops: (() => Promise<void>)[];

const env = (extra: Record<string, string> = {}) =>
  sensorEnv.parse({ MQTT_URL: broker.url, LOG_LEVEL: 'silent', STATS_INTERVAL_MS: '200', ...extra });

const values = (instrument: number) => audience.on(`openwest/performer/${instrument}`).map((m) => m.text);
type SensorStats = { source: string; device: string | null; lines: number; malformed: number; publishes: number };
const latestStats = () => audience.on('openwest/stats/sensor').at(-1)?.json<SensorStats>();

beforeEach(async () => {
  broker = await startTestBroker();
  audience = await RecordingClient.connect(broker.url);
  await audience.subscribe('openwest/performer/#', 'openwest/stats/sensor');
  pty = await startPtyPair();
  stops = [];
});

afterEach(async () => {
  await Promise.all(stops.map((stop) => stop()));
  await pty.stop();
  await audience.close();
  await broker.close(100);
});

async function startOn(extra: Record<string, string>, deps = {}, log = testLog('sensor')) {
  const sensor = await startSensor(env(extra), log, deps);
  stops.push(() => sensor.stop());
  await waitFor('the sensor to open the port', () => latestStats()?.device === pty.device, 10_000);
  return sensor;
}

describe('sensor reader on a serial port (socat pseudo-terminal)', () => {
  it('publishes each knob line as a value 30-90 on its instrument', async () => {
    await startOn({ SENSOR_SOURCE: 'serial', SERIAL_PORT: pty.device });
    pty.send('#openwest-knobs 1 knobs=6\r\n0:0\r\n1:1023\r\n2:512\r\n');
    await waitFor('three values', () => values(3).length === 1);
    expect(values(1)).toEqual(['30']);
    expect(values(2)).toEqual(['90']);
    expect(values(3)).toEqual(['60']);
  });

  it('publishes only on change: a knob resting or jittering by a raw step or two stays silent', async () => {
    await startOn({ SENSOR_SOURCE: 'serial', SERIAL_PORT: pty.device });
    pty.send('0:512\r\n0:513\r\n0:511\r\n0:512\r\n0:520\r\n0:531\r\n');
    // 531 → 61.1, past the 60.8 hysteresis edge of 60: the one change.
    await waitFor('the change to 61', () => values(1).includes('61'));
    await waitFor('stats counting the six lines', () => (latestStats()?.lines ?? 0) >= 6);
    expect(values(1)).toEqual(['60', '61']);
  });

  it('counts and skips garbage lines and keeps reading', async () => {
    await startOn({ SENSOR_SOURCE: 'serial', SERIAL_PORT: pty.device });
    pty.send('hello\r\n0:99999\r\n42:10\r\n0:abc\r\n\xff\xfe\x00garbage\r\n' + 'x'.repeat(500) + '\r\n0:1023\r\n');
    await waitFor('the valid line after the garbage', () => values(1).includes('90'));
    const stats = await waitFor('stats counting six malformed lines', () => {
      const s = latestStats();
      return s && s.malformed === 6 ? s : undefined;
    });
    expect(stats).toMatchObject({ source: 'serial', device: pty.device, malformed: 6, lines: 7, publishes: 1 });
    expect(values(1)).toEqual(['90']);
  });

  it('resumes after the board is unplugged and plugged back in on the same path, without a restart, and says so once', async () => {
    const { log, lines } = capturingLog();
    await startOn({ SENSOR_SOURCE: 'serial', SERIAL_PORT: pty.device }, {}, log);
    pty.send('0:0\r\n');
    await waitFor('the first value', () => values(1).includes('30'));

    await pty.unplug();
    await waitFor('stats to show no device', () => latestStats()?.device === null);
    await pty.replug();
    const replugged = performance.now();
    await waitFor('the sensor to reopen the port', () => latestStats()?.device === pty.device, 10_000);
    const reopenMs = performance.now() - replugged;
    pty.send('0:1023\r\n');
    await waitFor('a value after the replug', () => values(1).includes('90'));
    expect(values(1)).toEqual(['30', '90']);
    // one warning for the unplug, however many times the port was tried while it was gone
    const lost = lines.filter((l) => l.msg.startsWith(`lost ${pty.device}`));
    expect(lost.map((l) => l.level)).toEqual([40]);
    expect(lost[0]!.msg).toMatch(/waiting for it to come back$/);
    console.info(
      `serial replug: port reopened ${reopenMs.toFixed(0)} ms after socat made it again (default retry every 500 ms; seen through stats published every 200 ms)`,
    );
  });

  it('finds the Arduino by its USB vendor id when SERIAL_PORT is not set, and waits until one appears', async () => {
    let plugged = false;
    let scans = 0;
    const { log, lines } = capturingLog();
    const listPorts = (): Promise<PortInfo[]> => {
      scans += 1;
      return Promise.resolve([
        { path: '/dev/ttyS0' },
        ...(plugged
          ? [{ path: pty.device, vendorId: '2341', productId: '0043', manufacturer: 'Arduino (www.arduino.cc)' }]
          : []),
      ]);
    };
    const sensor = await startSensor(env({ SENSOR_SOURCE: 'auto', DEVICE_SCAN_MS: '200' }), log, { listPorts });
    stops.push(() => sensor.stop());
    await waitFor('a stats report', () => latestStats());
    expect(latestStats()).toMatchObject({ source: 'auto', device: null });
    await waitFor('three scans that found nothing', () => scans >= 3);
    // said once, at info under `auto` (no Arduino today is routine), not once per scan
    expect(lines.filter((l) => l.msg.startsWith('no Arduino found')).map((l) => l.level)).toEqual([30]);
    plugged = true;
    await waitFor('the sensor to open the Arduino it found', () => latestStats()?.device === pty.device);
    pty.send('1:512\r\n');
    await waitFor('the value', () => values(2).includes('60'));
  });

  it('plays knobs on the instruments KNOB_INSTRUMENTS names', async () => {
    await startOn({ SENSOR_SOURCE: 'serial', SERIAL_PORT: pty.device, KNOB_INSTRUMENTS: '10,4' });
    pty.send('0:512\r\n1:0\r\n2:1023\r\n3:0\r\n');
    await waitFor('both values', () => values(10).length === 1 && values(4).length === 1);
    await waitFor('stats counting four readings', () => (latestStats()?.lines ?? 0) >= 4);
    expect(values(10)).toEqual(['60']);
    expect(values(4)).toEqual(['30']);
    expect(audience.on('openwest/performer/1')).toEqual([]);
    expect(audience.on('openwest/performer/3')).toEqual([]);
  });
});
