import type { Logger } from '../../../shared/runtime/logger.js';
import type { MidiOut } from '../midi-out.js';

const nothing = () => {};

/** No sound: notes are logged at debug level, played events are still published. */
export function silentOutput(log: Logger): MidiOut {
  if (!log.isLevelEnabled('debug')) {
    return {
      name: 'none',
      noteOn: nothing,
      noteOff: nothing,
      control: nothing,
      program: nothing,
      close: async () => {},
    };
  }
  return {
    name: 'none',
    noteOn: (channel, note, velocity) => log.debug({ channel, note, velocity }, 'note on'),
    noteOff: (channel, note) => log.debug({ channel, note }, 'note off'),
    control: (channel, cc, value) => log.debug({ channel, cc, value }, 'control change'),
    program: (channel, program) => log.debug({ channel, program }, 'program change'),
    close: async () => {},
  };
}
