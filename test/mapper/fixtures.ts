import type { Instrument } from '../../shared/contract/contract.js';
import { defaultInstruments } from '../../services/mapper/instruments.js';
import type { MapperOutput, RejectionCode } from '../../services/mapper/mapper-output.js';
import { noteName } from '../../shared/contract/note-names.js';

/** The default table with every instrument plain: chromatic, no transpose, no rate limit. */
export const plainInstruments: readonly Instrument[] = defaultInstruments.map((i) => ({
  ...i,
  scale: 'chromatic',
  root: 'C',
  transpose: 0,
  retriggerMs: 0,
  maxNotesPerSecond: 0,
}));

/** A table whose instrument `n` (default 1) has `overrides` laid over the plain one. */
export const withInstrument = (overrides: Partial<Instrument>, n = 1): Instrument[] =>
  plainInstruments.map((i) => (i.instrument === n ? { ...i, ...overrides } : i));

/** The note output the pipeline should give for `value` on `instrument` of `table`. */
export const note = (
  table: readonly Instrument[],
  instrument: number,
  value: number,
  seq: number,
  {
    note: midi = value,
    receivedAt = 1_000,
    source = 'audience',
  }: { note?: number; receivedAt?: number; source?: 'audience' | 'performer' } = {},
): MapperOutput => {
  const i = table[instrument - 1]!;
  return {
    kind: 'note',
    event: {
      instrument,
      value,
      note: midi,
      name: noteName(midi),
      channel: i.channel,
      program: i.program,
      velocity: i.velocity,
      durationMs: i.durationMs,
      seq,
      receivedAt,
      source,
    },
  };
};

export const rejected = (
  topic: string,
  payload: string,
  code: RejectionCode,
  reason: string,
  at = 1_000,
): MapperOutput => ({
  kind: 'rejection',
  code,
  rejection: { service: 'mapper', topic, payload, reason, at },
});
