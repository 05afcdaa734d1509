import { defer, map, type Observable } from 'rxjs';
import { REJECTED_PAYLOAD_MAX_CHARS, type NoteEvent, type Rejection } from '../../shared/contract.js';
import type { IncomingMessage } from '../../shared/service.js';
import { parseInstrumentTopic, type Topics } from '../../shared/topics.js';
import type { Instrument } from './instruments.js';
import { noteName } from './note-names.js';
import { parseValue } from './parse-value.js';

export type MapperOutput = { kind: 'note'; event: NoteEvent } | { kind: 'rejection'; rejection: Rejection };

export interface MapperOptions {
  topics: Topics;
  instruments: readonly Instrument[];
  service?: string;
}

/** Incoming `instruments/N` messages → note events, and a rejection with a reason for anything else. */
export const mapValues =
  (options: MapperOptions) =>
  (messages$: Observable<IncomingMessage>): Observable<MapperOutput> =>
    defer(() => {
      const byNumber = new Map(options.instruments.map((i) => [i.instrument, i]));
      const seqByInstrument = new Map<number, number>();
      const reject = (m: IncomingMessage, reason: string): MapperOutput => ({
        kind: 'rejection',
        rejection: rejection(options.service ?? 'mapper', m, reason),
      });

      return messages$.pipe(
        map((m): MapperOutput => {
          const target = parseInstrumentTopic(options.topics, m.topic);
          if (!target.ok) return reject(m, target.reason);
          const instrument = byNumber.get(target.instrument);
          if (!instrument) return reject(m, `instrument ${target.instrument} is not configured`);
          const parsed = parseValue(m.payload);
          if (!parsed.ok) return reject(m, parsed.reason);
          const seq = (seqByInstrument.get(instrument.instrument) ?? 0) + 1;
          seqByInstrument.set(instrument.instrument, seq);
          return { kind: 'note', event: toNoteEvent(instrument, parsed.value, seq, m.receivedAt) };
        }),
      );
    });

export function toNoteEvent(instrument: Instrument, value: number, seq: number, receivedAt: number): NoteEvent {
  const note = Math.min(127, Math.max(0, value));
  return {
    instrument: instrument.instrument,
    value,
    note,
    name: noteName(note),
    channel: instrument.channel,
    program: instrument.program,
    velocity: instrument.velocity,
    durationMs: instrument.durationMs,
    seq,
    receivedAt,
  };
}

/** The payload is shown as text, cut to the contract's 64 characters. */
export function rejection(service: string, m: IncomingMessage, reason: string): Rejection {
  return {
    service,
    topic: m.topic.slice(0, 256),
    payload: m.payload.subarray(0, REJECTED_PAYLOAD_MAX_CHARS * 4).toString('utf8').slice(0, REJECTED_PAYLOAD_MAX_CHARS),
    reason,
    at: m.receivedAt,
  };
}
