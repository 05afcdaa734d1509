import { describe, expect, it } from 'vitest';
import { sensorEnv } from '../../services/sensor/config.js';
import { nextValue } from '../../services/sensor/knob-values.js';
import { ConfigError, readConfig } from '../../shared/runtime/config.js';

describe('the sensor’s settings from the environment', () => {
  it('reads KNOB_HYSTERESIS (default 0.3), and refuses one out of 0–5 naming it', () => {
    expect(readConfig(sensorEnv, {}).KNOB_HYSTERESIS).toBe(0.3);
    expect(readConfig(sensorEnv, { KNOB_HYSTERESIS: '1.5' }).KNOB_HYSTERESIS).toBe(1.5);
    expect(() => readConfig(sensorEnv, { KNOB_HYSTERESIS: '9' })).toThrow(ConfigError);
    expect(() => readConfig(sensorEnv, { KNOB_HYSTERESIS: '9' })).toThrow(/KNOB_HYSTERESIS/);
  });

  it('is the hysteresis a knob is judged with: at 1.5 a knob moved from 60 to 61.8 stays quiet, at the default it plays 62', () => {
    const wide = readConfig(sensorEnv, { KNOB_HYSTERESIS: '1.5' }).KNOB_HYSTERESIS;
    const usual = readConfig(sensorEnv, {}).KNOB_HYSTERESIS;
    expect(nextValue(60, 61.8, wide)).toBe(60);
    expect(nextValue(60, 61.8, usual)).toBe(62);
  });
});
