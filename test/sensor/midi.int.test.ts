import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sensorEnv } from '../../services/sensor/config.js';
import { startSensor } from '../../services/sensor/sensor.js';
import { startTestBroker, type TestBroker } from '../helpers/broker.js';
import { capturingLog } from '../helpers/capture-log.js';
import { testLog } from '../helpers/log.js';
import { FakeMidiInputs, rtMidiFailure } from '../helpers/midi-inputs.js';
import { RecordingClient } from '../helpers/mqtt-client.js';
import { waitFor } from '../helpers/wait.js';

/** A USB MIDI controller's port name as ALSA lists it. */
const NANO = 'nanoKONTROL2:nanoKONTROL2 MIDI 1 20:0';
const THROUGH = 'Midi Through:Midi Through Port-0 14:0';

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

describe('sensor reader with a MIDI controller (through an easymidi-shaped double)', () => {
  it('turns the control changes of MIDI_CC_KNOBS into values 30-90 on the knobs instruments', async () => {
    const midi = new FakeMidiInputs([THROUGH, NANO]);
    const config = midiSensorConfig({ MIDI_INPUT: 'nanoKONTROL', MIDI_CC_KNOBS: '74,71,76' });
    const sensor = await startSensor(config, testLog('sensor'), { midiInputs: midi });
    stops.push(() => sensor.stop());
    // Found by a part of its name, not the first input listed.
    expect(midi.opened.map((p) => p.name)).toEqual([NANO]);
    const controller = midi.latest();

    controller.turn(74, 0);
    controller.turn(71, 127);
    controller.turn(76, 64);
    controller.turn(7, 100); // a CC no knob is mapped to: ignored
    await waitFor('three values', () => values(1).length && values(2).length && values(3).length);
    controller.turn(74, 1); // 30.47: inside the hysteresis, no new value
    controller.turn(74, 2, 15); // 30.94, on MIDI channel 16 (wire channel 15): knobs listen on every channel
    await waitFor('knob 0 to move to 31', () => values(1).includes('31'));
    await waitFor('stats counting five readings', () => (latestStats()?.readings ?? 0) === 5);

    expect(values(1)).toEqual(['30', '31']);
    expect(values(2)).toEqual(['90']);
    expect(values(3)).toEqual(['60']);
    expect(latestStats()).toMatchObject({ device: `midi:${NANO}`, readings: 5 });
    await sensor.stop();
    expect(controller.closed).toBe(true);
  });

  it('keeps trying while RtMidi fails (no MIDI system), and reads the input once it opens', async () => {
    const midi = new FakeMidiInputs([NANO]);
    midi.failing = rtMidiFailure();
    const { log, lines } = capturingLog();
    const config = midiSensorConfig({ DEVICE_SCAN_MS: '100' });
    const sensor = await startSensor(config, log, { midiInputs: midi });
    stops.push(() => sensor.stop());
    await waitFor('three tries', () => midi.listings >= 3);
    expect(midi.opened).toEqual([]);
    // Said once, with why and what happens next, however often it retries.
    expect(lines.filter((l) => l.msg.includes('Failed to initialise RtMidi')).map((l) => l.msg)).toEqual([
      'cannot open a MIDI input (Failed to initialise RtMidi); retrying every 0.1 s',
    ]);

    midi.failing = undefined;
    await waitFor('the input to open', () => latestStats()?.device === `midi:${NANO}`);
    midi.latest().turn(74, 127); // the first of the default MIDI_CC_KNOBS
    await waitFor('the value', () => values(1).includes('90'));
  });

  it('keeps trying when RtMidi lists the input but fails to open it', async () => {
    const midi = new FakeMidiInputs([NANO]);
    midi.failingToOpen = rtMidiFailure();
    const captured = capturingLog();
    const config = midiSensorConfig({ DEVICE_SCAN_MS: '100' });
    const sensor = await startSensor(config, captured.log, { midiInputs: midi });
    stops.push(() => sensor.stop());
    await waitFor('three tries', () => midi.listings >= 3);
    expect(captured.text()).toContain('cannot open a MIDI input (Failed to initialise RtMidi); retrying every 0.1 s');
    expect(midi.opened).toEqual([]);

    midi.failingToOpen = undefined;
    await waitFor('the input to open', () => latestStats()?.device === `midi:${NANO}`);
    midi.latest().turn(74, 0);
    await waitFor('the value', () => values(1).includes('30'));
  });

  it('says which inputs there are when none matches MIDI_INPUT, and reads the controller once it is plugged in', async () => {
    const midi = new FakeMidiInputs([THROUGH]);
    const { log, lines } = capturingLog();
    const config = midiSensorConfig({ MIDI_INPUT: 'nanoKONTROL', DEVICE_SCAN_MS: '100' });
    const sensor = await startSensor(config, log, { midiInputs: midi });
    stops.push(() => sensor.stop());
    await waitFor('three tries', () => midi.listings >= 3);
    expect(midi.opened).toEqual([]); // not Midi Through, the only input there is
    expect(lines.filter((l) => l.msg.includes('MIDI_INPUT')).map((l) => l.msg)).toEqual([
      `cannot open a MIDI input (no MIDI input matches MIDI_INPUT="nanoKONTROL"; available: ${THROUGH}; plug the controller in, or set MIDI_INPUT to part of one of these names); retrying every 0.1 s`,
    ]);

    midi.plugged = [THROUGH, NANO];
    await waitFor('the input to open', () => latestStats()?.device === `midi:${NANO}`);
    midi.latest().turn(74, 127);
    await waitFor('the value', () => values(1).includes('90'));
  });

  it('notices an unplugged controller and reads it again once it is plugged back in', async () => {
    const midi = new FakeMidiInputs([NANO]);
    const config = midiSensorConfig({ DEVICE_SCAN_MS: '100' });
    const sensor = await startSensor(config, testLog('sensor'), { midiInputs: midi });
    stops.push(() => sensor.stop());
    await waitFor('the input to open', () => latestStats()?.device === `midi:${NANO}`);
    const first = midi.latest();
    first.turn(74, 0);
    await waitFor('the first value', () => values(1).includes('30'));

    midi.plugged = [];
    await waitFor('stats to show no device', () => latestStats()?.device === null);
    expect(first.closed).toBe(true);
    midi.plugged = [NANO];
    await waitFor('the input to open again', () => latestStats()?.device === `midi:${NANO}`);
    const second = midi.latest();
    expect(second).not.toBe(first);
    second.turn(74, 127);
    await waitFor('a value from the replugged controller', () => values(1).includes('90'));
    expect(values(1)).toEqual(['30', '90']);
  });
});
