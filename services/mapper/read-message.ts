import type { IncomingMessage } from '../../shared/runtime/service.js';
import { parseInstrumentTopic, type Topics } from '../../shared/contract/topics.js';
import type { Reading, RejectionOutput } from './mapper-output.js';
import { parseValue } from './parse-value.js';
import { rejectionOutput } from './rejection.js';

/**
 * An incoming message on `instruments/N` or `performer/N` → a Reading (instrument, value, which
 * lane), or a rejection with its reason.
 * The common case costs two lookups: the exact topic in a map of the configured instruments'
 * topics, and the payload's digits read from the bytes. Only a refusal decodes text and
 * builds a reason.
 */
export function messageReader(topics: Topics, configured: readonly number[], service: string) {
  const targetByTopic = new Map<string, Target>();
  for (const n of configured) {
    targetByTopic.set(topics.instrument(n), { instrument: n, performer: false });
    targetByTopic.set(topics.performer(n), { instrument: n, performer: true });
  }
  return (m: IncomingMessage): Reading | RejectionOutput => {
    const known = targetByTopic.get(m.topic);
    if (known === undefined) {
      const level = m.topic.startsWith(topics.under.performer) ? 'performer' : 'instruments';
      const target = parseInstrumentTopic(topics, m.topic, level);
      if (!target.ok) return rejectionOutput(service, m, target.code, target.reason);
      return rejectionOutput(service, m, 'not-configured', `instrument ${target.instrument} is not configured`);
    }
    const { instrument, performer } = known;
    const parsed = parseValue(m.payload);
    if (!parsed.ok) return rejectionOutput(service, m, parsed.code, parsed.reason);
    return { kind: 'reading', instrument, value: parsed.value, receivedAt: m.receivedAt, performer };
  };
}

interface Target {
  readonly instrument: number;
  /** Came on the performer's lane (`performer/N`), not the audience's (`instruments/N`). */
  readonly performer: boolean;
}
