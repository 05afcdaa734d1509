import { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import type { MapperOutput, RejectionOutput } from '../../services/mapper/mapper-output.js';
import { mapValues } from '../../services/mapper/pipeline.js';
import { makeTopics } from '../../shared/contract/topics.js';
import { msg } from '../helpers/messages.js';
import { note, plainInstruments, rejected } from './fixtures.js';

const topics = makeTopics();
const bad = (payload: string) => msg('openwest/instruments/1', payload);
const reason = (payload: string) => `not a number: "${payload}" (send a plain decimal like 62)`;
const rejection = (payload: string) => rejected('openwest/instruments/1', payload, 'not-a-number', reason(payload));
const suppressed = (payload: string): MapperOutput => ({
  ...(rejection(payload) as RejectionOutput),
  kind: 'suppressed',
});
const withSuppressedCount = (payload: string, suppressedCount: number): MapperOutput => {
  const r = rejection(payload) as RejectionOutput;
  return { ...r, rejection: { ...r.rejection, suppressed: suppressedCount } };
};

let scheduler: TestScheduler;
beforeEach(() => {
  scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
});
const pipeline = () =>
  mapValues({ topics, instruments: plainInstruments, scheduler, errorCap: { limit: 2, windowMs: 1_000 } });

describe('error-rate cap on errors, in virtual time', () => {
  it('publishes at most `limit` rejections per window and suppresses the rest', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const in$ = cold('a b c d', { a: bad('a'), b: bad('b'), c: bad('c'), d: bad('d') });
      expectObservable(pipeline()(in$)).toBe('a b c d', {
        a: rejection('a'),
        b: rejection('b'),
        c: suppressed('c'),
        d: suppressed('d'),
      });
    });
  });

  it('publishes again in the next window, saying how many were suppressed', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const in$ = cold('abcd 996ms ef', {
        a: bad('a'),
        b: bad('b'),
        c: bad('c'),
        d: bad('d'),
        e: bad('e'),
        f: bad('f'),
      });
      // a–d at 0–3 ms, e at 1000 ms: a new window
      expectObservable(pipeline()(in$)).toBe('abcd 996ms ef', {
        a: rejection('a'),
        b: rejection('b'),
        c: suppressed('c'),
        d: suppressed('d'),
        e: withSuppressedCount('e', 2),
        f: rejection('f'),
      });
    });
  });

  it('never holds back notes, however many rejections came before', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const in$ = cold('a b c n', { a: bad('a'), b: bad('b'), c: bad('c'), n: msg('openwest/instruments/1', '62') });
      expectObservable(pipeline()(in$)).toBe('a b c n', {
        a: rejection('a'),
        b: rejection('b'),
        c: suppressed('c'),
        n: note(plainInstruments, 1, 62, 1),
      });
    });
  });

  it('caps a flood of garbage to `limit` per second over a long run', () => {
    scheduler.run(({ cold, expectObservable }) => {
      // 3000 rejections, one per ms, for 3 s: 2 published in each second.
      const in$ = cold('x'.repeat(3000), { x: bad('x') });
      const expected = Array.from({ length: 3000 }, (_, t) => (t % 1000 === 0 ? 'F' : t % 1000 === 1 ? 'p' : 's')).join(
        '',
      );
      expectObservable(pipeline()(in$)).toBe(expected.replace('F', 'p'), {
        p: rejection('x'),
        s: suppressed('x'),
        F: withSuppressedCount('x', 998),
      });
    });
  });
});
