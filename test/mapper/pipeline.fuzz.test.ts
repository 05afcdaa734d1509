import fc from 'fast-check';
import { Subject, VirtualTimeScheduler } from 'rxjs';
import { afterAll, describe, expect, it } from 'vitest';
import { noteEventSchema, REJECTED_PAYLOAD_MAX_CHARS, rejectionSchema } from '../../shared/contract/contract.js';
import type { IncomingMessage } from '../../shared/runtime/service.js';
import { makeTopics } from '../../shared/contract/topics.js';
import { defaultInstruments } from '../../services/mapper/instruments.js';
import type { MapperOutput, RejectionCode } from '../../services/mapper/mapper-output.js';
import { mapValue } from '../../services/mapper/map-value.js';
import { parseValue } from '../../services/mapper/parse-value.js';
import { mapValues } from '../../services/mapper/pipeline.js';

const topics = makeTopics();

/**
 * Notes worked out by hand from docs/instruments.md, not by the mapper's code: the piano plays the
 * value; the bass (A minor pentatonic, an octave down) snaps to the nearest scale note, up on a tie
 * (49 C#3 → 50 D3, 53 F3 → 52 E3); the drums spread 30–90 evenly over General MIDI keys 35–81
 * (35 + round((v − 30) × 46 / 60)). The bass and the drums are tried on the same values.
 */
const HAND_TABLE: Record<number, Record<number, number>> = {
  1: Object.fromEntries(Array.from({ length: 61 }, (_, i) => [30 + i, 30 + i])),
  2: { 30: 19, 44: 33, 45: 33, 60: 48, 61: 50, 63: 52, 65: 52, 90: 79 },
  10: { 30: 35, 44: 46, 45: 47, 60: 58, 61: 59, 63: 60, 65: 62, 90: 81 },
};

/** The payload problems (a topic's problem is reported first). */
const PAYLOAD_CODES: readonly RejectionCode[] = [
  'empty',
  'too-long',
  'not-utf8',
  'whitespace-only',
  'control-characters',
  'not-a-number',
  'out-of-range',
];

/** What a generated input must produce: a note of this value on this instrument, a rejection with this code (or one of these), or either. */
type Expected =
  | { valid: true; instrument: number; value: number }
  | { valid: false; codes: readonly RejectionCode[] }
  | { valid: 'unknown' };

interface Case {
  topic: { text: string; instrument?: number; code?: RejectionCode };
  payload: { bytes: Buffer; value?: number | 'unknown'; codes?: readonly RejectionCode[] };
  gapMs: number;
}

const bytes = (text: string) => Buffer.from(text, 'utf8');
const space = fc.constantFrom('', ' ', '  ', '\n', '\t', '\r\n');

const validTopic = fc.constantFrom(1, 2, 10).map((n) => ({ text: `openwest/instruments/${n}`, instrument: n }));
const levelCode = (level: string): RejectionCode =>
  level === '' ? 'missing-instrument' : level.includes('/') ? 'extra-levels' : 'bad-instrument';
const invalidTopic = fc
  .oneof(
    fc.constantFrom('0', '17', '99', '01', '001', '1a', 'a', '', ' 1', '+1', '1.0', '-1', '16 '),
    fc.integer({ min: 1, max: 16 }).map((n) => `${n}/extra`),
    fc.string({ maxLength: 12 }).filter((s) => !/^(?:[1-9]|1[0-6])$/.test(s)),
  )
  .map((level) => ({ text: `openwest/instruments/${level}`, code: levelCode(level) }))
  .chain((t) =>
    fc.constantFrom(
      t,
      { text: 'openwest/instruments', code: 'missing-instrument' as const },
      { text: 'openwest/instrument/1', code: 'not-instrument-topic' as const },
      { text: 'openwest/instruments/1/2/3', code: 'extra-levels' as const },
    ),
  );

/** A plain decimal whose rounded value is `value` (one the hand table knows for every instrument tried), written as a person or a sensor might. */
const validPayload = fc
  .tuple(
    fc.constantFrom(...Object.keys(HAND_TABLE[2]!).map(Number)),
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

const codes = (...c: RejectionCode[]) => c;
const invalidPayload = fc
  .oneof(
    fc.constantFrom(
      { text: '', codes: codes('empty') },
      { text: ' ', codes: codes('whitespace-only') },
      { text: '\n\n', codes: codes('whitespace-only') },
      ...['NaN', 'Infinity', '-Infinity', 'abc', '1e2', '6 2', '62,5', '--62', '.', '+', '0x3e', '٦٢'].map((text) => ({
        text,
        codes: codes('not-a-number'),
      })),
    ),
    fc.integer({ min: 30, max: 90 }).map((v) => ({ text: `0x${v.toString(16)}`, codes: codes('not-a-number') })),
    fc
      .tuple(fc.integer({ min: 30, max: 90 }), fc.constantFrom('abc', 'x', '!', 'e', '%', ' 1'))
      .map(([v, g]) => ({ text: `${v}${g}`, codes: codes('not-a-number') })),
    fc
      .oneof(fc.integer({ min: -1_000_000, max: 29 }), fc.integer({ min: 91, max: 10_000_000 }))
      .map((v) => ({ text: String(v), codes: codes('out-of-range') })),
    fc.integer({ min: 30, max: 90 }).map((v) => ({ text: `${'0'.repeat(16)}${v}`, codes: codes('too-long') })), // numeric, but over 16 bytes
    fc.integer({ min: 30, max: 90 }).map((v) => ({ text: `${v}\u0001`, codes: codes('control-characters') })),
    fc
      .integer({ min: 30, max: 90 })
      .map((v) => ({ text: `${String(v)[0]}\u0000${String(v)[1]}`, codes: codes('control-characters') })),
    // free text: some payload problem, whichever the text has
    fc.string({ minLength: 1, maxLength: 200 }).map((s) => ({ text: `x${s}`, codes: PAYLOAD_CODES })),
  )
  .map(({ text, codes: expected }) => ({ bytes: bytes(text), codes: expected }))
  .chain((p) =>
    fc.oneof(
      fc.constant(p),
      // invalid UTF-8: a lone continuation byte or a truncated sequence around digits
      fc
        .constantFrom([0x36, 0xff, 0x32], [0xc3], [0x36, 0x32, 0xe2, 0x82], [0x80])
        .map((b) => ({ bytes: Buffer.from(b), codes: codes('not-utf8') })),
    ),
  );

const anyBytes = fc.uint8Array({ maxLength: 40 }).map((b) => ({ bytes: Buffer.from(b), value: 'unknown' as const }));

const aCase: fc.Arbitrary<Case> = fc.record({
  topic: fc.oneof({ weight: 4, arbitrary: validTopic }, { weight: 1, arbitrary: invalidTopic }),
  payload: fc.oneof(
    { weight: 4, arbitrary: validPayload },
    { weight: 3, arbitrary: invalidPayload },
    { weight: 1, arbitrary: anyBytes },
  ),
  gapMs: fc.integer({ min: 0, max: 40 }),
});

const expectedOf = ({ topic, payload }: Case): Expected => {
  if (topic.instrument === undefined) return { valid: false, codes: [topic.code!] };
  if (payload.value === 'unknown') return { valid: 'unknown' };
  if (payload.value === undefined) return { valid: false, codes: payload.codes! };
  return { valid: true, instrument: topic.instrument, value: payload.value };
};

/** The value random bytes that were accepted read as (only asked of accepted ones). */
const readValue = (payload: Buffer): number => {
  const parsed = parseValue(payload);
  if (!parsed.ok) throw new Error(`accepted, but parseValue refuses it: ${parsed.reason}`);
  return parsed.value;
};

let messagesChecked = 0;
afterAll(() => {
  expect(messagesChecked).toBeGreaterThanOrEqual(10_000);
});

describe('mapper pipeline under generated input (fast-check)', () => {
  it('never throws; one output per message; every invalid input one rejection with a reason; every valid one the right note unless the rate rules drop it', () => {
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

        // A model of the audience's rate rules, in the pipeline's clock: when each instrument last
        // played each note, and each instrument's bucket (half a second of maxNotesPerSecond, at least 4).
        const lastPlayedAt = new Map<string, number>();
        const bucket = new Map<number, { tokens: number; at: number }>();
        const seqOf = new Map<number, number>();
        at = 0;
        cases.forEach((c, index) => {
          at += c.gapMs;
          const produced = outputs[index]!;
          expect(produced, `one output for message ${index}`).toHaveLength(1);
          const out = produced[0]!;
          const expected = expectedOf(c);
          if (out.kind === 'rejection' || out.kind === 'suppressed') {
            expect(
              expected.valid,
              `${JSON.stringify(c.topic.text)} ${JSON.stringify(c.payload.bytes.toString())} rejected: ${out.rejection.reason}`,
            ).not.toBe(true);
            if (expected.valid === false)
              expect(
                expected.codes,
                `${JSON.stringify(c.topic.text)} ${JSON.stringify(c.payload.bytes.toString())}: ${out.code}`,
              ).toContain(out.code);
            else expect([...PAYLOAD_CODES, 'not-configured']).toContain(out.code);
            expect(rejectionSchema.parse(out.rejection)).toEqual(out.rejection);
            expect(out.rejection.reason.length).toBeGreaterThan(0);
            expect(out.rejection.payload.length).toBeLessThanOrEqual(REJECTED_PAYLOAD_MAX_CHARS);
            return;
          }
          expect(
            expected.valid,
            `${JSON.stringify(c.topic.text)} ${JSON.stringify(c.payload.bytes.toString())} accepted`,
          ).not.toBe(false);
          const instrument = c.topic.instrument!;
          const { retriggerMs, maxNotesPerSecond } = defaultInstruments[instrument - 1]!;
          const value = expected.valid === true ? expected.value : readValue(c.payload.bytes);
          const noteKey = `${instrument}:${HAND_TABLE[instrument]![value] ?? mapValue(defaultInstruments[instrument - 1]!, value)}`;
          const last = lastPlayedAt.get(noteKey);
          const tooSoon = last !== undefined && at - last < retriggerMs;
          const burst = Math.max(4, maxNotesPerSecond / 2);
          const held = bucket.get(instrument) ?? { tokens: burst, at };
          const tokens = tooSoon
            ? held.tokens
            : Math.min(burst, held.tokens + (at - held.at) * (maxNotesPerSecond / 1000));
          if (!tooSoon) bucket.set(instrument, { tokens, at });
          if (out.kind === 'dropped') {
            expect(out.instrument).toBe(instrument);
            expect(out.reason, `message ${index} dropped`).toBe(tooSoon ? 'retrigger' : 'rate');
            if (!tooSoon) expect(tokens, `message ${index} dropped with a token left`).toBeLessThan(1);
            return;
          }
          expect(tooSoon, `message ${index} played inside retriggerMs`).toBe(false);
          expect(tokens, `message ${index} played without a token`).toBeGreaterThanOrEqual(1);
          bucket.set(instrument, { tokens: tokens - 1, at });
          lastPlayedAt.set(noteKey, at);
          const seq = (seqOf.get(instrument) ?? 0) + 1;
          seqOf.set(instrument, seq);
          expect(noteEventSchema.parse(out.event)).toEqual(out.event);
          expect(out.event).toMatchObject({ instrument, channel: instrument, seq });
          // random bytes that happened to be a number: whatever value they read as, in range
          if (expected.valid !== true) return expect(out.event.value).toBeGreaterThanOrEqual(30);
          expect(out.event.value).toBe(expected.value);
          expect(out.event.note, `instrument ${instrument}, value ${expected.value}`).toBe(
            HAND_TABLE[instrument]![expected.value],
          );
        });
        messagesChecked += cases.length;
      }),
      { numRuns: 40 },
    );
  }, 300_000); // 40 runs × 250–400 = 10,000–16,000 messages: seconds on an idle machine, much longer on a busy shared one
});
