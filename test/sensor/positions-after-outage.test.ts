import { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import type { KnobValue } from '../../services/sensor/knob-values.js';
import { positionsAfterOutage } from '../../services/sensor/positions-after-outage.js';

let scheduler: TestScheduler;
beforeEach(() => {
  scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
});

const v = (knob: number, value: number): KnobValue => ({ knob, instrument: knob + 1, value });

describe('positions after a broker outage', () => {
  it('passes values on while connected', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const connected$ = hot('t', { t: true });
      const values$ = hot('-a-b', { a: v(0, 40), b: v(1, 50) });
      expectObservable(values$.pipe(positionsAfterOutage(connected$))).toBe('-a-b', { a: v(0, 40), b: v(1, 50) });
    });
  });

  it('drops the movements made during an outage and publishes each knob once, at its latest value, on reconnect', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const connected$ = hot('t--f-----t', { t: true, f: false });
      const values$ = hot('-a--bcde-----g', {
        a: v(0, 40),
        b: v(0, 41),
        c: v(0, 42),
        d: v(1, 70),
        e: v(0, 43),
        g: v(1, 71),
      });
      expectObservable(values$.pipe(positionsAfterOutage(connected$))).toBe('-a-------(xy)g', {
        a: v(0, 40),
        x: v(0, 43),
        y: v(1, 70),
        g: v(1, 71),
      });
    });
  });

  it('publishes values read before the first connection once it is up', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const connected$ = hot('f--t', { t: true, f: false });
      const values$ = hot('-a', { a: v(2, 33) });
      expectObservable(values$.pipe(positionsAfterOutage(connected$))).toBe('---a', { a: v(2, 33) });
    });
  });

  it('repeats nothing when the connection flaps while no knob has ever moved', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const connected$ = hot('tftft', { t: true, f: false });
      const values$ = hot<KnobValue>('-----');
      expectObservable(values$.pipe(positionsAfterOutage(connected$))).toBe('-----');
    });
  });
});
