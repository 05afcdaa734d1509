import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sensorEnv } from '../../services/sensor/config.js';
import { startSensor } from '../../services/sensor/sensor.js';
import type { ControlChange, MidiControllerInput, OpenMidiInput } from '../../services/sensor/sources/midi-input.js';
import { startTestBroker, type TestBroker } from '../helpers/broker.js';
import { testLog } from '../helpers/log.js';
import { RecordingClient } from '../helpers/mqtt-client.js';
import { waitFor } from '../helpers/wait.js';

/** A USB MIDI controller as the sensor sees it through its input interface. */
class FakeController implements MidiControllerInput {
  readonly name = 'nanoKONTROL2 MIDI 1';
  private listener: ((cc: ControlChange) => void) | undefined;
  closed = false;
  plugged = true;
  present(): boolean {
    return this.plugged;
  }
  onControlChange(listener: (cc: ControlChange) => void): void {
    this.listener = listener;
  }
  turn(controller: number, value: number, channel = 1): void {
    this.listener?.({ channel, controller, value });
  }
  close(): void {
    this.closed = true;
  }
}

let broker: TestBroker;
let audience: RecordingClient;
let stops: (() => Promise<void>)[];

beforeEach(async () => {
  broker = await startTestBroker();
  audience = await RecordingClient.connect(broker.url);
  await audience.subscribe('openwest/performer/#', 'openwest/stats/sensor');
  stops = [];
});

afterEach(async () => {
  await Promise.all(stops.map((stop) => stop()));
  await audience.close();
  await broker.close(100);
});

const values = (instrument: number) => audience.on(`openwest/performer/${instrument}`).map((m) => m.text);
const latestStats = () =>
  audience.on('openwest/stats/sensor').at(-1)?.json<{ device: string | null; readings: number }>();

/** The sensor reading a MIDI controller, against this file's broker. */
const midiSensorConfig = (extra: Record<string, string>) =>
  sensorEnv.parse({
    MQTT_URL: broker.url,
    LOG_LEVEL: 'silent',
    STATS_INTERVAL_MS: '200',
    SENSOR_SOURCE: 'midi',
    ...extra,
  });

describe('sensor reader with a MIDI controller', () => {
  it('turns the control changes of MIDI_CC_KNOBS into values 30-90 on the knobs instruments', async () => {
    const controller = new FakeController();
    const matches: (string | undefined)[] = [];
    const openMidiInput: OpenMidiInput = (match) => {
      matches.push(match);
      return controller;
    };
    const config = midiSensorConfig({ MIDI_INPUT: 'nanoKONTROL', MIDI_CC_KNOBS: '74,71,76' });
    const sensor = await startSensor(config, testLog('sensor'), { openMidiInput });
    stops.push(() => sensor.stop());
    expect(matches).toEqual(['nanoKONTROL']);

    controller.turn(74, 0);
    controller.turn(71, 127);
    controller.turn(76, 64);
    controller.turn(7, 100); // a CC no knob is mapped to: ignored
    await waitFor('three values', () => values(1).length && values(2).length && values(3).length);
    controller.turn(74, 1); // 30.47: inside the hysteresis, no new value
    controller.turn(74, 2, 5); // 30.94, on another channel: a new value
    await waitFor('knob 0 to move to 31', () => values(1).includes('31'));
    await waitFor('stats counting five readings', () => (latestStats()?.readings ?? 0) === 5);

    expect(values(1)).toEqual(['30', '31']);
    expect(values(2)).toEqual(['90']);
    expect(values(3)).toEqual(['60']);
    expect(latestStats()).toMatchObject({ device: 'midi:nanoKONTROL2 MIDI 1', readings: 5 });
    await sensor.stop();
    expect(controller.closed).toBe(true);
  });

  it('keeps trying to open a MIDI input that is not there yet, and reads it once it is', async () => {
    const controller = new FakeController();
    let attempts = 0;
    const openMidiInput: OpenMidiInput = () => {
      attempts += 1;
      if (attempts < 3) throw new Error('Failed to initialise RtMidi');
      return controller;
    };
    const config = midiSensorConfig({ DEVICE_SCAN_MS: '100' });
    const sensor = await startSensor(config, testLog('sensor'), { openMidiInput });
    stops.push(() => sensor.stop());
    await waitFor('the input to open', () => latestStats()?.device === 'midi:nanoKONTROL2 MIDI 1');
    expect(attempts).toBe(3);
    controller.turn(74, 127); // the first of the default MIDI_CC_KNOBS
    await waitFor('the value', () => values(1).includes('90'));
  });

  it('notices an unplugged controller and reads it again once it is plugged back in', async () => {
    let controller = new FakeController();
    let available = true;
    const openMidiInput: OpenMidiInput = () => {
      if (!available) throw new Error('no MIDI input found');
      controller = new FakeController();
      return controller;
    };
    const config = midiSensorConfig({ DEVICE_SCAN_MS: '100' });
    const sensor = await startSensor(config, testLog('sensor'), { openMidiInput });
    stops.push(() => sensor.stop());
    await waitFor('the input to open', () => latestStats()?.device === 'midi:nanoKONTROL2 MIDI 1');
    const first = controller;
    first.turn(74, 0);
    await waitFor('the first value', () => values(1).includes('30'));

    available = false;
    first.plugged = false;
    await waitFor('stats to show no device', () => latestStats()?.device === null);
    expect(first.closed).toBe(true);
    available = true;
    await waitFor('the input to open again', () => latestStats()?.device === 'midi:nanoKONTROL2 MIDI 1');
    expect(controller).not.toBe(first);
    controller.turn(74, 127);
    await waitFor('a value from the replugged controller', () => values(1).includes('90'));
    expect(values(1)).toEqual(['30', '90']);
  });
});
