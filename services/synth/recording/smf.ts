import { writeMidi } from 'midi-file';
import { CHUNKS_BEFORE_EVENTS, smfHeader } from '../../../shared/contract/smf.js';
import type { SynthCommand } from '../commands.js';

// The conversion is shared with the page (it records what it heard): shared/contract/smf.ts.
export {
  encodeEvents,
  MICROSECONDS_PER_BEAT,
  TICKS_PER_BEAT,
  toMidiData,
  toTrackEvents,
  trackStart,
} from '../../../shared/contract/smf.js';

/** A command as it left for the output, `atMs` after the recording began. */
export interface TimedCommand {
  atMs: number;
  command: SynthCommand;
}

const END_OF_TRACK = Uint8Array.of(0x00, 0xff, 0x2f, 0x00);

/** A whole file from encoded events: header, one track chunk holding them all, end of track. */
export function smfBytes(encoded: readonly Uint8Array[]): Buffer {
  const length = encoded.reduce((sum, bytes) => sum + bytes.length, 0) + END_OF_TRACK.length;
  const chunkHeaders = Buffer.from(writeMidi({ header: smfHeader, tracks: [[]] }).slice(0, CHUNKS_BEFORE_EVENTS));
  chunkHeaders.writeUInt32BE(length, CHUNKS_BEFORE_EVENTS - 4);
  return Buffer.concat([chunkHeaders, ...encoded, END_OF_TRACK]);
}
