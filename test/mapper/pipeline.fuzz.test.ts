import fc from 'fast-check';
import { Subject, VirtualTimeScheduler } from 'rxjs';
import { afterAll, describe, expect, it } from 'vitest';
import { noteEventSchema, REJECTED_PAYLOAD_MAX_CHARS, rejectionSchema } from '../../shared/contract.js';
import type { IncomingMessage } from '../../shared/service.js';
import { makeTopics } from '../../shared/topics.js';
import { defaultInstruments } from '../../services/mapper/instruments.js';
import { mapValue } from '../../services/mapper/map-value.js';
import type { MapperOutput } from '../../services/mapper/mapper-output.js';
import { parseValueText } from '../../services/mapper/parse-value.js';
import { mapValues } from '../../services/mapper/pipeline.js';

const topics = makeTopics();

/** What a generated input must produce: a note of this value on this instrument, a rejection, or either. */
type Expected = { valid: true; instrument: number; value: number } | { valid: false } | { valid: 'unknown' };

interface Case {
  topic: { text: string; instrument?: number };
  payload: { bytes: Buffer; value?: number | 'unknown' };
  gapMs: number;
}

const bytes = (text: string) => Buffer.from(text, 'utf8');
const space = fc.constantFrom('', ' ', '  ', '\n', '\t', '\r\n');

const validTopic = fc.integer({ min: 1, max: 16 }).map((n) => ({ text: `openwest/instruments/${n}`, instrument: n }));
const invalidTopic = fc
  .oneof(
    fc.constantFrom('0', '17', '99', '01', '001', '1a', 'a', '', ' 1', '+1', '1.0', '-1', '16 '),
    fc.integer({ min: 1, max: 16 }).map((n) => `${n}/extra`),
    fc.string({ maxLength: 12 }).filter((s) => !/^(?:[1-9]|1[0-6])$/.test(s)),
  )
  .map((level) => ({ text: `openwest/instruments/${level}` }))
  .chain((t) => fc.constantFrom(t, { text: 'openwest/instruments' }, { text: 'openwest/instrument/1' }, { text: 'openwest/instruments/1/2/3' }));

/** A plain decimal whose rounded value is `value`, written as a person or a sensor might. */
const validPayload = fc
  .tuple(
    fc.integer({ min: 30, max: 90 }),
    fc.constantFrom('int', 'plus', 'zero-fraction', 'round-down', 'round-up', 'leading-zero', 'dot'),
    space,
    space,
  )
  .map(([value, form, before, after]) => {
    const written = {
      int: `${value}`,
      plus: `+${value}`,
      'zero-fraction': `${value}.0`,
      'round-down': `${value}.4`,
      'round-up': `${value - 1}.5`,
      'leading-zero': `0${value}`,
      dot: `${value}.`,
    }[form];
    return { bytes: bytes(`${before}${written}${after}`), value };
  });

const invalidPayload = fc
  .oneof(
    fc.constantFrom('', ' ', '\n\n', 'NaN', 'Infinity', '-Infinity', 'abc', '1e2', '6 2', '62,5', '--62', '.', '+', '0x3e', '٦٢'),
    fc.integer({ min: 30, max: 90 }).map((v) => `0x${v.toString(16)}`),
    fc.tuple(fc.integer({ min: 30, max: 90 }), fc.constantFrom('abc', 'x', '!', 'e', '%', ' 1')).map(([v, g]) => `${v}${g}`),
    fc.oneof(fc.integer({ min: -1_000_000, max: 29 }), fc.integer({ min: 91, max: 10_000_000 })).map(String),
    fc.integer({ min: 30, max: 90 }).map((v) => `${'0'.repeat(16)}${v}`), // too long, though numeric
    fc.integer({ min: 30, max: 90 }).map((v) => `${v}\u0001`),
    fc.integer({ min: 30, max: 90 }).map((v) => `${String(v)[0]}\u0000${String(v)[1]}`),
    fc.string({ minLength: 1, maxLength: 200 }).map((s) => `x${s}`),
  )
  .map((text) => ({ bytes: bytes(text) }))
  .chain((p) =>
    fc.oneof(
      fc.constant(p),
      // invalid UTF-8: a lone continuation byte or a truncated sequence around digits
      fc.constantFrom([0x36, 0xff, 0x32], [0xc3], [0x36, 0x32, 0xe2, 0x82], [0x80]).map((b) => ({ bytes: Buffer.from(b) })),
    ),
  );

const anyBytes = fc.uint8Array({ maxLength: 40 }).map((b) => ({ bytes: Buffer.from(b), value: 'unknown' as const }));

const aCase: fc.Arbitrary<Case> = fc.record({
  topic: fc.oneof({ weight: 4, arbitrary: validTopic }, { weight: 1, arbitrary: invalidTopic }),
  payload: fc.oneof({ weight: 4, arbitrary: validPayload }, { weight: 3, arbitrary: invalidPayload }, { weight: 1, arbitrary: anyBytes }),
  gapMs: fc.integer({ min: 0, max: 40 }),
});

const expectedOf = ({ topic, payload }: Case): Expected => {
  if (topic.instrument === undefined) return { valid: false };
  if (payload.value === 'unknown') return { valid: 'unknown' };
  if (payload.value === undefined) return { valid: false };
  return { valid: true, instrument: topic.instrument, value: payload.value };
};

let messagesChecked = 0;
afterAll(() => {
  expect(messagesChecked).toBeGreaterThanOrEqual(10_000);
});

describe('mapper pipeline under generated input (fast-check)', () => {
  it('never throws; one output per message; every invalid input one rejection with a reason; every valid one the right note unless rate-limited', () => {
    fc.assert(
      fc.property(fc.array(aCase, { minLength: 250, maxLength: 400 }), (cases) => {
        const scheduler = new VirtualTimeScheduler();
        const input = new Subject<IncomingMessage>();
        const outputs: MapperOutput[][] = cases.map(() => []);
        let current = -1;
        let failure: unknown;
        mapValues({ topics, instruments: defaultInstruments, scheduler })(input).subscribe({
          next: (out) => outputs[current]!.push(out),
          error: (error: unknown) => (failure = error),
        });
        let at = 0;
        cases.forEach((c, index) => {
          at += c.gapMs;
          const message = { topic: c.topic.text, payload: c.payload.bytes, receivedAt: 1_764_000_000_000 + at };
          scheduler.schedule(() => {
            current = index;
            input.next(message);
          }, at);
        });
        scheduler.flush();
        expect(failure).toBeUndefined();

        // A model of the rate limit: when each instrument last played, in the pipeline's clock.
        const lastPlayedAt = new Map<number, number>();
        const seqOf = new Map<number, number>();
        at = 0;
        cases.forEach((c, index) => {
          at += c.gapMs;
          const produced = outputs[index]!;
          expect(produced, `one output for message ${index}`).toHaveLength(1);
          const out = produced[0]!;
          const expected = expectedOf(c);
          if (out.kind === 'rejection' || out.kind === 'suppressed') {
            expect(expected.valid, `${JSON.stringify(c.topic.text)} ${JSON.stringify(c.payload.bytes.toString())} rejected: ${out.rejection.reason}`).not.toBe(true);
            expect(rejectionSchema.parse(out.rejection)).toEqual(out.rejection);
            expect(out.rejection.reason.length).toBeGreaterThan(0);
            expect(out.rejection.payload.length).toBeLessThanOrEqual(REJECTED_PAYLOAD_MAX_CHARS);
            return;
          }
          expect(expected.valid, `${JSON.stringify(c.topic.text)} ${JSON.stringify(c.payload.bytes.toString())} accepted`).not.toBe(false);
          const instrument = c.topic.instrument!;
          const value = expected.valid === true ? expected.value : (parseValueText(c.payload.bytes) as { value: number }).value;
          const last = lastPlayedAt.get(instrument);
          const tooSoon = last !== undefined && at - last < defaultInstruments[instrument - 1]!.minIntervalMs;
          if (out.kind === 'dropped') {
            expect(tooSoon, `message ${index} dropped`).toBe(true);
            expect(out.instrument).toBe(instrument);
            return;
          }
          expect(tooSoon, `message ${index} played inside the rate limit`).toBe(false);
          lastPlayedAt.set(instrument, at);
          const seq = (seqOf.get(instrument) ?? 0) + 1;
          seqOf.set(instrument, seq);
          expect(noteEventSchema.parse(out.event)).toEqual(out.event);
          expect(out.event).toMatchObject({
            instrument,
            value,
            note: mapValue(defaultInstruments[instrument - 1]!, value),
            channel: defaultInstruments[instrument - 1]!.channel,
            seq,
          });
        });
        messagesChecked += cases.length;
      }),
      { numRuns: 40 },
    );
  }, 300_000); // 40 runs × 250–400 = 10,000–16,000 messages: seconds on an idle machine, much longer on a busy shared one
});
