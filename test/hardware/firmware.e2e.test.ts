import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { defaultInstruments } from '../../services/mapper/instruments.js';
import { mapValue } from '../../services/mapper/map-value.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapperEnv } from '../../services/mapper/config.js';
import { startMapper } from '../../services/mapper/mapper.js';
import { sensorEnv } from '../../services/sensor/config.js';
import { startSensor } from '../../services/sensor/sensor.js';
import { synthEnv } from '../../services/synth/config.js';
import { startSynth } from '../../services/synth/synth.js';
import { buildFirmware, SimulatedUno } from '../helpers/avr-sim.js';
import { startTestBroker } from '../helpers/broker.js';
import { testLog } from '../helpers/log.js';
import { RecordingClient } from '../helpers/mqtt-client.js';
import { RecordingOutput } from '../helpers/recording-output.js';
import { startPtyPair } from '../helpers/socat.js';
import { LOADED_MACHINE_STALE_MS } from '../helpers/procfile.js';

let buildDir: string;
let firmware: { bin: string; hex: string; output: string };

beforeAll(async () => {
  buildDir = mkdtempSync(join(tmpdir(), 'openwest-firmware-'));
  firmware = await buildFirmware(buildDir);
}, 300_000);

afterAll(() => rmSync(buildDir, { recursive: true, force: true }));

/** ADC counts for a voltage, as the ATmega328P's 10-bit converter gives them against 5 V. */
const counts = (volts: number) => Math.min(1023, Math.floor((volts / 5) * 1024));

describe('knobs firmware (compiled with avr-gcc, run in avr8js)', () => {
  it('compiles for the ATmega328P into a hex file that fits an Uno', () => {
    expect(firmware.output).toMatch(/openwest-knobs: \d+ bytes of flash/);
    const flash = Number(/(\d+) bytes of flash/.exec(firmware.output)![1]);
    expect(flash).toBeLessThan(32_256); // the Uno's flash less its 512-byte bootloader
    expect(statSync(firmware.hex).size).toBeGreaterThan(0);
  });

  it('says hello, then reports every knob once at boot', async () => {
    const uno = new SimulatedUno(firmware.bin);
    const volts = [0, 5, 2.5, 1.25, 3.75, 0.5];
    volts.forEach((v, pin) => uno.setVolts(pin, v));
    await uno.runFor(100);
    expect(uno.lines()).toEqual(['#openwest-knobs 1 knobs=6', ...volts.map((v, knob) => `${knob}:${counts(v)}`)]);
  });

  it('stays silent while knobs rest or jitter, and reports a knob that moves past the hysteresis', async () => {
    const uno = new SimulatedUno(firmware.bin);
    [2.5, 2.5, 2.5, 2.5, 2.5, 2.5].forEach((v, pin) => uno.setVolts(pin, v));
    await uno.runFor(60);
    const boot = uno.lines().length;
    expect(boot).toBe(7);

    uno.setVolts(1, 2.51); // 2 counts: noise on the wiper
    await uno.runFor(40);
    uno.setVolts(1, 2.49);
    await uno.runFor(40);
    expect(uno.lines()).toHaveLength(boot);

    uno.setVolts(1, 3.0); // a real turn
    await uno.runFor(40);
    uno.setVolts(4, 5); // the end of travel
    await uno.runFor(40);
    expect(uno.lines().slice(boot)).toEqual([`1:${counts(3.0)}`, '4:1023']);
  });

  it('plays a note end to end: simulated board → serial line → sensor → broker → mapper → synth', async () => {
    const broker = await startTestBroker();
    const pty = await startPtyPair();
    const output = new RecordingOutput();
    const env = { MQTT_URL: broker.url, LOG_LEVEL: 'silent', STATS_INTERVAL_MS: '200' };
    const audience = await RecordingClient.connect(broker.url);
    const stops: (() => Promise<void>)[] = [];
    try {
      await audience.subscribe('openwest/played/+', 'openwest/stats/sensor');
      const mapper = await startMapper(mapperEnv.parse(env), testLog('mapper'));
      stops.push(() => mapper.stop());
      const synth = await startSynth(
        synthEnv.parse({ ...env, STALE_AFTER_MS: LOADED_MACHINE_STALE_MS }),
        testLog('synth'),
        { output },
      );
      stops.push(() => synth.stop());
      const sensor = await startSensor(
        sensorEnv.parse({ ...env, SENSOR_SOURCE: 'serial', SERIAL_PORT: pty.device }),
        testLog('sensor'),
      );
      stops.push(() => sensor.stop());
      await audience.next('openwest/stats/sensor', (m) => m.json<{ device: string | null }>().device === pty.device);

      const uno = new SimulatedUno(firmware.bin);
      uno.onSerialByte = (byte) => pty.send(Buffer.of(byte));
      [2.5, 0, 5, 0, 0, 0].forEach((v, pin) => uno.setVolts(pin, v));
      await uno.runFor(60);
      const first = await audience.next('openwest/played/1');
      expect(first.json()).toMatchObject({ instrument: 1, value: 60, note: 60, name: 'C4', output: 'recorder' });

      uno.setVolts(0, 3.75); // turn knob 0 up a quarter: raw 768 → 75
      await uno.runFor(40);
      const second = await audience.next('openwest/played/1', (m) => m.json<{ note: number }>().note === 75);
      expect(second.json()).toMatchObject({ instrument: 1, value: 75, name: 'D#5' });

      const ons = output.sent.filter((m) => m.kind === 'noteOn').map(({ channel, note }) => ({ channel, note }));
      expect(ons.filter((n) => n.channel === 1)).toEqual([
        { channel: 1, note: 60 },
        { channel: 1, note: 75 },
      ]);
      // Knobs 1 and 2 (0 V, 5 V) play instruments 2 and 3 at the ends of the range, through their table entries.
      const [bass, pad] = [defaultInstruments[1]!, defaultInstruments[2]!];
      expect(ons).toContainEqual({ channel: bass.channel, note: mapValue(bass, 30) });
      expect(ons).toContainEqual({ channel: pad.channel, note: mapValue(pad, 90) });
      const stats = await audience.next('openwest/stats/sensor', (m) => m.json<{ lines: number }>().lines >= 8);
      expect(stats.json()).toMatchObject({ firmware: 'openwest-knobs 1', malformed: 0 });
    } finally {
      await Promise.all(stops.map((stop) => stop()));
      await audience.close();
      await pty.stop();
      await broker.close(100);
    }
  });
});
