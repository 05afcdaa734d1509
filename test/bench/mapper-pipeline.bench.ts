import { asyncScheduler, Subject } from 'rxjs';
import { bench, describe } from 'vitest';
import { defaultInstruments } from '../../services/mapper/instruments.js';
import { mapValues } from '../../services/mapper/pipeline.js';
import type { Instrument } from '../../shared/contract/contract.js';
import type { IncomingMessage } from '../../shared/runtime/service.js';
import { makeTopics } from '../../shared/contract/topics.js';

// npx vitest bench --run test/bench/mapper-pipeline.bench.ts
// Messages per second through the pure pipeline (no broker): 1000 messages per iteration.

const topics = makeTopics();
const unlimited = defaultInstruments.map((i) => ({ ...i, retriggerMs: 0, maxNotesPerSecond: 0 }));
const messages = (make: (i: number) => [string, string]): IncomingMessage[] =>
  Array.from({ length: 1_000 }, (_, i) => {
    const [topic, payload] = make(i);
    return { topic, payload: Buffer.from(payload), receivedAt: 0 };
  });

const run = (batch: IncomingMessage[], instruments: readonly Instrument[] = unlimited) => {
  const input = new Subject<IncomingMessage>();
  let outputs = 0;
  mapValues({ topics, instruments, scheduler: asyncScheduler })(input).subscribe(() => outputs++);
  return () => {
    for (const m of batch) input.next(m);
    if (outputs === 0) throw new Error('no output');
  };
};

describe('mapper pipeline, 1000 messages', () => {
  const valid = messages((i) => [`openwest/instruments/${(i % 16) + 1}`, String(30 + (i % 61))]);
  const validWithNewline = messages((i) => [`openwest/instruments/${(i % 16) + 1}`, `${30 + (i % 61)}.5\n`]);
  const invalid = messages((i) => [i % 2 ? 'openwest/instruments/17' : 'openwest/instruments/3', i % 3 ? 'abc' : '95']);
  bench('valid integers on 16 instruments', run(valid));
  bench('valid fractions (slow path parse)', run(validWithNewline));
  bench('invalid (rejections, capped)', run(invalid));
  bench('valid, default rate limits (mostly dropped)', run(valid, defaultInstruments));
});
