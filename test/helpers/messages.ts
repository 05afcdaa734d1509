import type { NoteEvent } from '../../shared/contract/contract.js';
import type { IncomingMessage } from '../../shared/runtime/service.js';

/** An incoming message as the runtime hands it to a pipeline. */
export const msg = (topic: string, payload: string | Buffer, receivedAt = 1_000): IncomingMessage => ({
  topic,
  payload: typeof payload === 'string' ? Buffer.from(payload) : payload,
  receivedAt,
});

export const noteEvent = (overrides: Partial<NoteEvent> = {}): NoteEvent => ({
  instrument: 1,
  value: 60,
  note: 60,
  name: 'C4',
  channel: 1,
  program: 0,
  velocity: 100,
  durationMs: 400,
  seq: 1,
  receivedAt: 1_000,
  ...overrides,
});
