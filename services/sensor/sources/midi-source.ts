import { Observable } from 'rxjs';
import { reading, type SensorEvent } from '../readings.js';
import type { MidiControllerInput, OpenMidiInput } from './midi-input.js';

export const MIDI_CC_MAX = 127;

export interface MidiSourceOptions {
  open: OpenMidiInput;
  /** MIDI_INPUT: part of the input's name. */
  match?: string | undefined;
  /** Control change numbers in knob order: `[74, 71, 76]` makes CC 74 knob 0. */
  ccKnobs: readonly number[];
  /** How soon to try again when no input could be opened. */
  retryMs: number;
}

/**
 * Knob readings from a MIDI controller's control changes (any channel). Never errors: it keeps
 * trying to open an input until one opens, and notices an unplugged controller (checking every
 * `retryMs`) and goes back to trying.
 */
export function midiSource(options: MidiSourceOptions): Observable<SensorEvent> {
  const knobOf = new Map(options.ccKnobs.map((cc, knob) => [cc, knob]));
  return new Observable<SensorEvent>((subscriber) => {
    let input: MidiControllerInput | undefined;
    let timer: NodeJS.Timeout | undefined;
    const attempt = () => {
      try {
        input = options.open(options.match);
      } catch (error) {
        const message = `cannot open a MIDI input (${(error as Error).message}); retrying every ${options.retryMs / 1000} s`;
        subscriber.next({ kind: 'waiting', message });
        timer = setTimeout(attempt, options.retryMs);
        return;
      }
      const opened = input;
      const device = `midi:${opened.name}`;
      subscriber.next({ kind: 'attached', device });
      opened.onControlChange((cc) => {
        const knob = knobOf.get(cc.controller);
        if (knob !== undefined && input === opened) subscriber.next(reading(knob, cc.value, MIDI_CC_MAX));
      });
      const watch = () => {
        if (opened.present()) {
          timer = setTimeout(watch, options.retryMs);
          return;
        }
        opened.close();
        input = undefined;
        subscriber.next({ kind: 'detached', device, reason: 'the MIDI input is gone' });
        attempt();
      };
      timer = setTimeout(watch, options.retryMs);
    };
    attempt();
    return () => {
      clearTimeout(timer);
      input?.close();
    };
  });
}
