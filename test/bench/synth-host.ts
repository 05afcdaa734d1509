// The synth service for the bench: the real startSynth in its own process, with an output that
// stamps every note on with the machine-wide monotonic clock (see clock.ts), reported over IPC.
import { synthEnv } from '../../services/synth/config.js';
import type { MidiOut } from '../../services/synth/midi-out.js';
import { startSynth } from '../../services/synth/synth.js';
import { readConfig } from '../../shared/runtime/config.js';
import { createLogger } from '../../shared/runtime/logger.js';
import { monoMs } from './clock.js';

const only = new Set((process.env.RECORD_CHANNELS ?? '').split(',').filter(Boolean).map(Number));
let noteOns: number[] = [];

const stamping: MidiOut = {
  name: 'bench-recorder',
  noteOn(channel, note) {
    const at = monoMs();
    if (only.size === 0 || only.has(channel)) noteOns.push(channel, note, at);
  },
  noteOff() {},
  control() {},
  program() {},
  close: async () => {},
};

const config = readConfig(synthEnv, process.env);
const synth = await startSynth(config, createLogger('synth', config), { output: stamping });

process.on('message', (m) => {
  if (m === 'drain') {
    process.send?.({ kind: 'noteOns', data: noteOns });
    noteOns = [];
  }
});
const stop = () => {
  synth.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error('the bench synth did not stop cleanly:', error);
      process.exit(1);
    },
  );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
