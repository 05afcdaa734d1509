import { defer, filter, map, type Observable } from 'rxjs';
import { INSTRUMENT_VALUE_MAX, INSTRUMENT_VALUE_MIN } from '../../shared/contract/contract.js';
import type { KnobReading } from './readings.js';

/** A knob's position as the value its instrument plays. */
export interface KnobValue {
  readonly knob: number;
  readonly instrument: number;
  readonly value: number;
}

export interface KnobValueOptions {
  /** Which instrument a knob plays (undefined: the knob plays nothing). */
  instrumentOf: (knob: number) => number | undefined;
  /**
   * How far (in values) past the half-way point between two values a reading must go before
   * the value changes; 0.3 means a knob at 60 moves to 61 only past 60.8, and back only below 59.2.
   */
  hysteresis: number;
}

/** The position of a raw reading on the 30–90 scale, as a real number. */
export const scaled = (r: KnobReading): number =>
  INSTRUMENT_VALUE_MIN +
  ((INSTRUMENT_VALUE_MAX - INSTRUMENT_VALUE_MIN) * Math.min(Math.max(r.raw, 0), r.rawMax)) / r.rawMax;

/** The value a knob shows after a reading, given the value it showed before (if any). */
export function nextValue(previous: number | undefined, position: number, hysteresis: number): number {
  if (previous === undefined || Math.abs(position - previous) > 0.5 + hysteresis) return Math.round(position);
  return previous;
}

/**
 * Raw knob readings → integer values 30–90 per knob, with hysteresis so a knob at rest never
 * chatters, emitted only when a knob's value changes.
 */
export const knobValues =
  (options: KnobValueOptions) =>
  (readings$: Observable<KnobReading>): Observable<KnobValue> =>
    defer(() => {
      const shown = new Map<number, number>();
      // Per reading (up to ~1,200 a second from the firmware): a lookup, no inner Observable.
      return readings$.pipe(
        map((r): KnobValue | undefined => {
          const previous = shown.get(r.knob);
          const value = nextValue(previous, scaled(r), options.hysteresis);
          if (value === previous) return undefined;
          shown.set(r.knob, value);
          const instrument = options.instrumentOf(r.knob);
          return instrument === undefined ? undefined : { knob: r.knob, instrument, value };
        }),
        filter((v): v is KnobValue => v !== undefined),
      );
    });
