import { asyncScheduler, defer, interval, mergeMap, startWith, type Observable, type SchedulerLike } from 'rxjs';
import { reading, type SensorEvent } from '../readings.js';
import { ARDUINO_RAW_MAX } from '../serial-protocol.js';

export interface SimulatedSourceOptions {
  knobs: number;
  /** Moves per second of each knob. */
  rate: number;
  /** Numbers in [0, 1); seeded in tests. */
  random?: () => number;
  scheduler?: SchedulerLike;
}

/** The largest step a simulated knob takes at once, in raw units (about five values of 30–90). */
const MAX_STEP = 90;

/**
 * Knobs that wander by themselves, for a demo with no hardware: each knob starts near the middle
 * and takes a random step `rate` times a second, turning back at the ends. Like a real device it
 * says first that it is attached.
 */
export function simulatedSource(options: SimulatedSourceOptions): Observable<SensorEvent> {
  return defer(() => {
    const random = options.random ?? Math.random;
    const raws = Array.from({ length: options.knobs }, () => Math.round(ARDUINO_RAW_MAX / 2 + (random() - 0.5) * 200));
    return interval(1000 / options.rate, options.scheduler ?? asyncScheduler).pipe(
      mergeMap(() =>
        raws.map((raw, knob) => {
          let next = raw + Math.round((random() * 2 - 1) * MAX_STEP);
          if (next < 0 || next > ARDUINO_RAW_MAX) next = raw - (next - raw);
          raws[knob] = next;
          return reading(knob, next, ARDUINO_RAW_MAX);
        }),
      ),
      startWith<SensorEvent>({
        kind: 'attached',
        device: `simulated: ${options.knobs} knobs, each moving ${options.rate} times a second`,
      }),
    );
  });
}
