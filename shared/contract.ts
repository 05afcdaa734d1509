import { z } from 'zod';

/** The payloads of the topic contract (README, "Topic contract"): one schema per topic kind. */

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
});
export type NoteEvent = z.infer<typeof noteEventSchema>;

export const playedEventSchema = noteEventSchema.extend({
  playedAt: epochMs,
  output: z.string(),
});
export type PlayedEvent = z.infer<typeof playedEventSchema>;

export const REJECTED_PAYLOAD_MAX_CHARS = 64;

export const rejectionSchema = z.object({
  service: z.string(),
  /** Set by the broker: which client's publish or subscription it refused. */
  clientId: z.string().optional(),
  topic: z.string(),
  payload: z.string().max(REJECTED_PAYLOAD_MAX_CHARS),
  reason: z.string(),
  at: epochMs,
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

export const instrumentSchema = z.object({
  instrument: instrumentNumber,
  name: z.string(),
  colour: z.string().regex(/^#[0-9a-fA-F]{6}$/),
  channel: midiChannel,
  program: midi7,
  velocity: midi7,
  durationMs: z.number().nonnegative(),
});
export type Instrument = z.infer<typeof instrumentSchema>;
export const instrumentTableSchema = z.object({
  instruments: z.array(instrumentSchema),
});
export type InstrumentTable = z.infer<typeof instrumentTableSchema>;

/** The typed map topic kind → payload type, and how each kind is delivered. */
export interface TopicPayloads {
  instruments: string;
  notes: NoteEvent;
  played: PlayedEvent;
  errors: Rejection;
  status: Status;
  stats: Stats;
  configInstruments: InstrumentTable;
}
export type TopicKind = keyof TopicPayloads;
export type JsonTopicKind = Exclude<TopicKind, 'instruments'>;

export const payloadSchemas: { [K in JsonTopicKind]: z.ZodType<TopicPayloads[K]> } = {
  notes: noteEventSchema,
  played: playedEventSchema,
  errors: rejectionSchema,
  status: statusSchema,
  stats: statsSchema,
  configInstruments: instrumentTableSchema,
};

export interface Delivery {
  qos: 0 | 1;
  retain: boolean;
}

export const delivery: { [K in TopicKind]: Delivery } = {
  instruments: { qos: 0, retain: false },
  notes: { qos: 0, retain: false },
  played: { qos: 0, retain: false },
  errors: { qos: 0, retain: false },
  status: { qos: 1, retain: true },
  stats: { qos: 0, retain: true },
  configInstruments: { qos: 1, retain: true },
};

export type Decoded<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Parses and validates a JSON payload against the contract; never throws. */
export function decodeJson<K extends JsonTopicKind>(kind: K, payload: Buffer | string): Decoded<TopicPayloads[K]> {
  let data: unknown;
  try {
    data = JSON.parse(typeof payload === 'string' ? payload : payload.toString('utf8'));
  } catch {
    return { ok: false, reason: `${kind}: payload is not JSON` };
  }
  const result = payloadSchemas[kind].safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    return { ok: false, reason: `${kind}: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}` };
  }
  return { ok: true, value: result.data };
}
