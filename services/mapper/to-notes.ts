import { defer, map, type Observable, type OperatorFunction } from 'rxjs';
import type { Instrument, NoteEvent } from '../../shared/contract/contract.js';
import { LAST_INSTRUMENT } from '../../shared/contract/topics.js';
import { noteLookup, type NoteLookup } from './map-value.js';
import type { DroppedOutput, NoteOutput, Reading, RejectionOutput } from './mapper-output.js';

type Passing = RejectionOutput | DroppedOutput;

/** Readings → note events; `seq` counts the notes of each instrument from 1, per subscription. */
export const toNotes =
  (instruments: readonly Instrument[]): OperatorFunction<Reading | Passing, NoteOutput | Passing> =>
  (source: Observable<Reading | Passing>) =>
    defer(() => {
      const voices = voicesOf(instruments);
      const seqByInstrument = new Uint32Array(LAST_INSTRUMENT + 1);
      return source.pipe(
        map((item): NoteOutput | Passing => {
          if (item.kind !== 'reading') return item;
          const voice = voices[item.instrument]!;
          const seq = (seqByInstrument[item.instrument] ?? 0) + 1;
          seqByInstrument[item.instrument] = seq;
          return { kind: 'note' as const, event: noteEvent(voice, item, seq) };
        }),
      );
    });

interface Voice {
  readonly instrument: Instrument;
  readonly lookup: NoteLookup;
}

function voicesOf(instruments: readonly Instrument[]): Voice[] {
  const voices: Voice[] = [];
  for (const instrument of instruments) voices[instrument.instrument] = { instrument, lookup: noteLookup(instrument) };
  return voices;
}

function noteEvent({ instrument, lookup }: Voice, reading: Reading, seq: number): NoteEvent {
  return {
    instrument: instrument.instrument,
    value: reading.value,
    note: lookup.note(reading.value),
    name: lookup.name(reading.value),
    channel: instrument.channel,
    program: instrument.program,
    velocity: instrument.velocity,
    durationMs: instrument.durationMs,
    seq,
    receivedAt: reading.receivedAt,
    source: reading.performer ? 'performer' : 'audience',
  };
}
