import { take, toArray, firstValueFrom } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { sensorEnv } from '../../services/sensor/config.js';
import type { SensorEvent } from '../../services/sensor/readings.js';
import { simulatedSource } from '../../services/sensor/sources/simulated-source.js';
import { readConfig, ConfigError } from '../../shared/runtime/config.js';
import { seededRandom } from '../helpers/seeded-random.js';

describe('simulated knobs', () => {
  it('moves every knob rate times a second, within 0-1023', () => {
    const scheduler = new TestScheduler((a, e) => expect(a).toEqual(e));
    const events: SensorEvent[] = [];
    scheduler.run(() => {
      const subscription = simulatedSource({ knobs: 3, rate: 4, random: seededRandom(7), scheduler }).subscribe((e) =>
        events.push(e),
      );
      scheduler.schedule(() => subscription.unsubscribe(), 1001);
    });
    expect(events[0]).toEqual({ kind: 'attached', device: 'simulated: 3 knobs, each moving 4 times a second' });
    const readings = events.slice(1).map((e) => (e.kind === 'reading' ? e.reading : undefined));
    // 4 ticks of 3 knobs in the virtual second it ran.
    expect(readings).toHaveLength(4 * 3);
    expect(readings.every((r) => r && r.raw >= 0 && r.raw <= 1023 && r.knob < 3)).toBe(true);
    expect(new Set(readings.map((r) => r!.knob))).toEqual(new Set([0, 1, 2]));
  });

  it('repeats a performance for the same seed', async () => {
    const run = () =>
      firstValueFrom(simulatedSource({ knobs: 2, rate: 50, random: seededRandom(42) }).pipe(take(6), toArray()));
    expect(await run()).toEqual(await run());
  });
});

describe('sensor settings', () => {
  it('reads lists of CC numbers and instruments', () => {
    const config = readConfig(sensorEnv, { MIDI_CC_KNOBS: '74, 71,76', KNOB_INSTRUMENTS: '10,1' });
    expect(config.MIDI_CC_KNOBS).toEqual([74, 71, 76]);
    expect(config.KNOB_INSTRUMENTS).toEqual([10, 1]);
    expect(config.SENSOR_SOURCE).toBe('auto');
  });

  it('stops start-up naming the field and the reason for a bad list or source', () => {
    const problems = (env: Record<string, string>) => {
      try {
        readConfig(sensorEnv, env);
      } catch (error) {
        return (error as ConfigError).problems;
      }
      return [];
    };
    expect(problems({ KNOB_INSTRUMENTS: '1,17' })).toEqual([expect.stringMatching(/^KNOB_INSTRUMENTS\.1: Too big/)]);
    expect(problems({ MIDI_CC_KNOBS: '74;71' })).toEqual([
      expect.stringMatching(/^MIDI_CC_KNOBS: a comma-separated list/),
    ]);
    expect(problems({ SENSOR_SOURCE: 'usb' })).toEqual([expect.stringMatching(/^SENSOR_SOURCE: Invalid option/)]);
  });
});
