import { z } from 'zod';

/** The payloads of the topic contract (docs/topic-contract.md): one schema per topic kind. */

const midi7 = z.number().int().min(0).max(127);
const midiChannel = z.number().int().min(1).max(16);
const instrumentNumber = z.number().int().min(1).max(16);
const epochMs = z.number().nonnegative();

export const noteEventSchema = z.object({
  instrument: instrumentNumber,
  value: z.number(),
  note: midi7,
  name: z.string(),
  channel: midiChannel,
  program: midi7,
  velocity: midi7,
  durationMs: z.number().nonnegative(),
  seq: z.number().int().nonnegative(),
  receivedAt: epochMs,
  /**
   * Which lane the value came on: `performer/N` (services: knobs, the score player) or
   * `instruments/N` (anyone). The synth drops an audience note that is already stale; a note
   * without it (another mapper) is played like the performer's.
   */
  source: z.enum(['performer', 'audience']).optional(),
  /**
   * When the note was due, in `receivedAt`'s clock: the grid step an audience note waited for
   * while the room has a tempo. A note's age (the synth's stale check) counts from here.
   */
  dueAt: epochMs.optional(),
});
export type NoteEvent = z.infer<typeof noteEventSchema>;

export const playedEventSchema = noteEventSchema.extend({
  playedAt: epochMs,
  output: z.string(),
});
export type PlayedEvent = z.infer<typeof playedEventSchema>;

export const REJECTED_PAYLOAD_MAX_CHARS = 64;
export const REJECTED_TOPIC_MAX_CHARS = 256;

/**
 * A refusal as it goes on `errors`: the payload shown as text cut to 64 characters, the topic
 * to 256. Takes the payload as it came, so whoever refuses copies nothing before it must.
 */
export function rejectionOf(
  refusal: { service: string; clientId?: string; topic: string; payload: Uint8Array | string; reason: string },
  at: number,
): Rejection {
  const { payload } = refusal;
  const text = typeof payload === 'string' ? payload : utf8.decode(payload.subarray(0, REJECTED_PAYLOAD_MAX_CHARS * 4));
  return {
    service: refusal.service,
    ...(refusal.clientId === undefined ? {} : { clientId: refusal.clientId.slice(0, 128) }),
    topic: refusal.topic.slice(0, REJECTED_TOPIC_MAX_CHARS),
    payload: text.slice(0, REJECTED_PAYLOAD_MAX_CHARS),
    reason: refusal.reason,
    at,
  };
}

export const rejectionSchema = z.object({
  service: z.string(),
  /** Set by the broker: which client's publish or subscription it refused. */
  clientId: z.string().optional(),
  topic: z.string(),
  payload: z.string().max(REJECTED_PAYLOAD_MAX_CHARS),
  reason: z.string(),
  at: epochMs,
  /** How many rejections the error-rate cap kept off this topic since the previous one published. */
  suppressed: z.number().int().positive().optional(),
});
export type Rejection = z.infer<typeof rejectionSchema>;

export const statusSchema = z.object({
  service: z.string(),
  state: z.enum(['online', 'offline']),
  pid: z.number().int(),
  startedAt: epochMs,
});
export type Status = z.infer<typeof statusSchema>;

export const statsSchema = z.looseObject({
  service: z.string(),
  at: epochMs,
});
export type Stats = z.infer<typeof statsSchema>;

/** Scales an instrument snaps to; `drums` maps 30–90 onto General MIDI percussion keys 35–81. */
export const SCALE_NAMES = [
  'chromatic',
  'major',
  'natural-minor',
  'harmonic-minor',
  'major-pentatonic',
  'minor-pentatonic',
  'blues',
  'dorian',
  'mixolydian',
  'drums',
] as const;
export const scaleSchema = z.enum(SCALE_NAMES);
export type ScaleName = z.infer<typeof scaleSchema>;

export const NOTE_ROOTS = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'] as const;
export const rootSchema = z.enum(NOTE_ROOTS);
export type Root = z.infer<typeof rootSchema>;

export const instrumentSchema = z.object({
  instrument: instrumentNumber,
  name: z.string().min(1).max(40).describe('shown by the visualiser'),
  colour: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'a hex colour like "#f5c542"')
    .describe('hex colour "#rrggbb" for the visualiser and lights'),
  channel: midiChannel.describe('MIDI channel 1–16 (10 is General MIDI percussion)'),
  program: midi7.describe('General MIDI program, 0-based (0 = Acoustic Grand Piano)'),
  velocity: midi7.describe('MIDI note-on velocity 0–127'),
  durationMs: z.number().nonnegative().max(60_000).describe('how long each note sounds before its note off'),
  scale: scaleSchema.describe('the scale values snap to; drums maps 30–90 onto General MIDI percussion keys 35–81'),
  root: rootSchema.describe("the scale's tonic; ignored by chromatic and drums"),
  transpose: z.number().int().min(-60).max(60).describe('semitones added to the value before snapping to the scale'),
  retriggerMs: z
    .number()
    .nonnegative()
    .max(60_000)
    .describe(
      "an audience value whose note this instrument played less than this long ago is dropped, never queued (0: off); other notes, a chord's, pass",
    ),
  maxNotesPerSecond: z
    .number()
    .int()
    .nonnegative()
    .max(1_000)
    .describe(
      'audience notes per second this instrument plays at most (a token bucket holding half a second, at least 4, so a chord passes whole); the rest are dropped (0: no cap)',
    ),
});
export type Instrument = z.infer<typeof instrumentSchema>;

/** The effective table on `config/instruments`: all sixteen instruments, every field present. */
export const instrumentTableSchema = z.object({
  /** The range of values accepted on `instruments/{n}`. */
  values: z.object({ min: z.number().int(), max: z.number().int() }),
  instruments: z.array(instrumentSchema),
});
export type InstrumentTable = z.infer<typeof instrumentTableSchema>;

/** Grid steps per beat a tempo quantises to: 2 (eighths) or 4 (sixteenths). */
export const TEMPO_STEPS = [2, 4] as const;
export const TEMPO_BPM_RANGE = { min: 20, max: 300 } as const;

/**
 * The room's shared tempo on `tempo` (retained): `bpm` 0 (or an empty payload, which clears the
 * retained one) turns it off. `since` is the epoch ms of a beat, so every service and page puts
 * the grid in the same place.
 */
export const tempoSchema = z.object({
  bpm: z.union([z.literal(0), z.number().min(TEMPO_BPM_RANGE.min).max(TEMPO_BPM_RANGE.max)]),
  steps: z.union([z.literal(TEMPO_STEPS[0]), z.literal(TEMPO_STEPS[1])]),
  since: epochMs,
});
export type Tempo = z.infer<typeof tempoSchema>;

/** The typed map topic kind → payload type, and how each kind is delivered. */
export interface TopicPayloads {
  instruments: string;
  notes: NoteEvent;
  played: PlayedEvent;
  errors: Rejection;
  status: Status;
  stats: Stats;
  configInstruments: InstrumentTable;
  /** Any payload: whoever publishes it wants every sounding note silenced now. */
  panic: string;
  tempo: Tempo;
}
export type TopicKind = keyof TopicPayloads;
export type JsonTopicKind = Exclude<TopicKind, 'instruments' | 'panic'>;

export const payloadSchemas: { [K in JsonTopicKind]: z.ZodType<TopicPayloads[K]> } = {
  notes: noteEventSchema,
  played: playedEventSchema,
  errors: rejectionSchema,
  status: statusSchema,
  stats: statsSchema,
  configInstruments: instrumentTableSchema,
  tempo: tempoSchema,
};

export interface Delivery {
  qos: 0 | 1;
  retain: boolean;
}

export const delivery: { [K in TopicKind]: Delivery } = {
  instruments: { qos: 0, retain: false },
  // QoS 1 so the broker keeps a note for a synth that is away (persistent session) and a note
  // the mapper sent as the broker went down is sent again (docs/safety-and-faults.md).
  notes: { qos: 1, retain: false },
  played: { qos: 0, retain: false },
  errors: { qos: 0, retain: false },
  status: { qos: 1, retain: true },
  stats: { qos: 0, retain: true },
  configInstruments: { qos: 1, retain: true },
  panic: { qos: 1, retain: false },
  tempo: { qos: 1, retain: true },
};

export type Decoded<T> = { ok: true; value: T } | { ok: false; reason: string };

// A Node Buffer is a Uint8Array: one decoder serves the services and the web page.
const utf8 = new TextDecoder();

/** Parses and validates a JSON payload against the contract; never throws. */
export function decodeJson<K extends JsonTopicKind>(kind: K, payload: Uint8Array | string): Decoded<TopicPayloads[K]> {
  let data: unknown;
  try {
    data = JSON.parse(typeof payload === 'string' ? payload : utf8.decode(payload));
  } catch {
    return { ok: false, reason: `${kind}: payload is not JSON` };
  }
  const result = payloadSchemas[kind].safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    return {
      ok: false,
      reason: `${kind}: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}`,
    };
  }
  return { ok: true, value: result.data };
}

/** The range of a value on `instruments/{n}` (docs/topic-contract.md). */
export const INSTRUMENT_VALUE_MIN = 30;
export const INSTRUMENT_VALUE_MAX = 90;
