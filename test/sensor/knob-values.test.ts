import { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { instrumentOf } from '../../services/sensor/config.js';
import { knobValues, nextValue, scaled, type KnobValue } from '../../services/sensor/knob-values.js';
import type { KnobReading } from '../../services/sensor/readings.js';

let scheduler: TestScheduler;
beforeEach(() => {
  scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
});

const arduino = (knob: number, raw: number): KnobReading => ({ knob, raw, rawMax: 1023 });
const midi = (knob: number, raw: number): KnobReading => ({ knob, raw, rawMax: 127 });
const value = (knob: number, v: number, instrument = knob + 1): KnobValue => ({ knob, instrument, value: v });
const pipeline = knobValues({ instrumentOf: instrumentOf(undefined), hysteresis: 0.3 });

describe('knob values', () => {
  it('scales the ends of travel to 30 and 90 and the middle to 60, for Arduino and MIDI ranges', () => {
    expect([scaled(arduino(0, 0)), scaled(arduino(0, 1023)), Math.round(scaled(arduino(0, 512)))]).toEqual([
      30, 90, 60,
    ]);
    expect([scaled(midi(0, 0)), scaled(midi(0, 127)), Math.round(scaled(midi(0, 64)))]).toEqual([30, 90, 60]);
  });

  it('holds a value until a reading passes the hysteresis edge, in both directions', () => {
    expect(nextValue(undefined, 60.2, 0.3)).toBe(60);
    expect(nextValue(60, 60.79, 0.3)).toBe(60);
    expect(nextValue(60, 60.81, 0.3)).toBe(61);
    expect(nextValue(61, 60.21, 0.3)).toBe(61);
    expect(nextValue(61, 60.19, 0.3)).toBe(60);
    expect(nextValue(60, 64.4, 0.3)).toBe(64);
  });

  it('emits a knob value only when it changes', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const in$ = cold('a b c d e', {
        a: arduino(0, 512),
        b: arduino(0, 512),
        c: arduino(0, 600),
        d: arduino(0, 600),
        e: arduino(0, 512),
      });
      expectObservable(pipeline(in$)).toBe('a - c - e', { a: value(0, 60), c: value(0, 65), e: value(0, 60) });
    });
  });

  it('never chatters when a resting knob jitters around the edge between two values', () => {
    // 60.5 is the rounding edge between 60 and 61: raw 520 is 60.498, raw 521 is 60.557.
    const jitter = [520, 521, 519, 522, 520, 523, 518, 521].map((raw) => arduino(0, raw));
    scheduler.run(({ cold, expectObservable }) => {
      const in$ = cold('abcdefgh', Object.fromEntries(jitter.map((r, i) => ['abcdefgh'[i]!, r])));
      expectObservable(pipeline(in$)).toBe('a', { a: value(0, 60) });
    });
  });

  it('keeps each knob its own state and instrument', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const in$ = cold('a b c d', { a: arduino(0, 0), b: arduino(2, 0), c: arduino(0, 0), d: arduino(2, 1023) });
      expectObservable(pipeline(in$)).toBe('a b - d', { a: value(0, 30), b: value(2, 30), d: value(2, 90) });
    });
  });

  it('maps knobs to the instruments given and drops knobs with none', () => {
    const mapped = knobValues({ instrumentOf: instrumentOf([10, 4]), hysteresis: 0.3 });
    scheduler.run(({ cold, expectObservable }) => {
      const in$ = cold('a b c', { a: midi(0, 127), b: midi(1, 0), c: midi(2, 64) });
      expectObservable(mapped(in$)).toBe('a b', { a: value(0, 90, 10), b: value(1, 30, 4) });
    });
  });

  it('starts each subscription with no remembered values', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const in$ = cold('a', { a: arduino(0, 512) });
      const out$ = pipeline(in$);
      expectObservable(out$).toBe('a', { a: value(0, 60) });
      expectObservable(out$).toBe('a', { a: value(0, 60) });
    });
  });
});

describe('default knob instruments', () => {
  it('plays knob i on instrument i+1, up to instrument 16', () => {
    const of = instrumentOf(undefined);
    expect([of(0), of(5), of(15), of(16)]).toEqual([1, 6, 16, undefined]);
  });
});
