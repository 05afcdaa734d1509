import { parseArgs } from 'node:util';
import { FIRST_INSTRUMENT, LAST_INSTRUMENT } from '../../shared/contract/topics.js';
import { BPM_RANGE } from './score.js';

export interface PlayerArgs {
  score: string;
  instrument: number | undefined;
  bpm: number | undefined;
  loop: boolean;
  /** Set the room's tempo (`tempo`, retained) to the score's, its beat on the score's start. */
  tempo: boolean;
}

export type ParsedArgs =
  { ok: true; args: PlayerArgs } | { ok: false; help: true } | { ok: false; help: false; reason: string };

/** `<score> [--instrument N] [--bpm B] [--loop] [--tempo]` → settings, or the reason they are wrong. */
export function parsePlayerArgs(argv: readonly string[]): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        instrument: { type: 'string', short: 'i' },
        bpm: { type: 'string', short: 'b' },
        loop: { type: 'boolean', short: 'l', default: false },
        tempo: { type: 'boolean', short: 't', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    return { ok: false, help: false, reason: (error as Error).message };
  }
  const { values, positionals } = parsed;
  if (values.help) return { ok: false, help: true };
  if (positionals.length !== 1) {
    return {
      ok: false,
      help: false,
      reason: positionals.length ? `one score at a time, got ${positionals.join(' ')}` : 'which score? e.g. mary',
    };
  }
  const instrument = values.instrument === undefined ? undefined : Number(values.instrument);
  if (
    instrument !== undefined &&
    (!Number.isInteger(instrument) || instrument < FIRST_INSTRUMENT || instrument > LAST_INSTRUMENT)
  ) {
    return {
      ok: false,
      help: false,
      reason: `--instrument must be ${FIRST_INSTRUMENT}-${LAST_INSTRUMENT}, got "${values.instrument}"`,
    };
  }
  const bpm = values.bpm === undefined ? undefined : Number(values.bpm);
  if (bpm !== undefined && (!Number.isFinite(bpm) || bpm < BPM_RANGE.min || bpm > BPM_RANGE.max)) {
    return { ok: false, help: false, reason: `--bpm must be ${BPM_RANGE.min}-${BPM_RANGE.max}, got "${values.bpm}"` };
  }
  return { ok: true, args: { score: positionals[0]!, instrument, bpm, loop: values.loop, tempo: values.tempo } };
}
