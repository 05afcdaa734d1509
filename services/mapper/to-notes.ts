import { defer, map, type Observable, type OperatorFunction } from 'rxjs';
import type { Instrument, NoteEvent } from '../../shared/contract.js';
import { LAST_INSTRUMENT } from '../../shared/topics.js';
import { noteLookup } from './map-value.js';
import type { NoteOutput, Reading } from './mapper-output.js';

/** Readings → note events; `seq` counts the notes of each instrument from 1, per subscription. */
export const toNotes =
  <T extends { kind: string }>(instruments: readonly Instrument[]): OperatorFunction<T | Reading, Exclude<T, Reading> | NoteOutput> =>
  (source: Observable<T | Reading>) =>
    defer(() => {
      const voices = voicesOf(instruments);
      const seqByInstrument = new Uint32Array(LAST_INSTRUMENT + 1);
      return source.pipe(
        map((item) => {
          if (!isReading(item)) return item as Exclude<T, Reading>;
          const voice = voices[item.instrument]!;
          const seq = (seqByInstrument[item.instrument] ?? 0) + 1;
          seqByInstrument[item.instrument] = seq;
          return { kind: 'note' as const, event: noteEvent(voice, item, seq) };
        }),
      );
    });

const isReading = (item: { kind: string }): item is Reading => item.kind === 'reading';

interface Voice {
  readonly instrument: Instrument;
  readonly lookup: ReturnType<typeof noteLookup>;
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
  };
}
