import { NEVER, type Observable } from 'rxjs';
import type { SensorConfig } from './config.js';
import type { SensorEvent } from './readings.js';
import type { OpenMidiInput } from './sources/midi-input.js';
import { midiSource } from './sources/midi-source.js';
import { serialSource, type ListPorts } from './sources/serial-source.js';
import { simulatedSource } from './sources/simulated-source.js';

export interface SourceDeps {
  openMidiInput: OpenMidiInput;
  listPorts?: ListPorts;
}

/**
 * SENSOR_SOURCE → where knob readings come from. `auto` is serial with the port found by USB
 * vendor id; it waits quietly (one log line) until an Arduino is plugged in.
 */
export function chooseSource(config: SensorConfig, deps: SourceDeps): Observable<SensorEvent> {
  switch (config.SENSOR_SOURCE) {
    case 'auto':
    case 'serial':
      return serialSource({
        path: config.SERIAL_PORT,
        baudRate: config.SERIAL_BAUD,
        retryMs: config.SERIAL_RETRY_MS,
        scanMs: config.DEVICE_SCAN_MS,
        listPorts: deps.listPorts,
      });
    case 'midi':
      return midiSource({
        open: deps.openMidiInput,
        match: config.MIDI_INPUT,
        ccKnobs: config.MIDI_CC_KNOBS,
        retryMs: config.DEVICE_SCAN_MS,
      });
    case 'simulate':
      return simulatedSource({ knobs: config.SIMULATE_KNOBS, rate: config.SIMULATE_RATE });
    case 'none':
      return NEVER;
  }
}
