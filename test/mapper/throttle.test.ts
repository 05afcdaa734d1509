import { Subject, VirtualTimeScheduler } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { mapValues } from '../../services/mapper/pipeline.js';
import type { MapperOutput } from '../../services/mapper/mapper-output.js';
import type { IncomingMessage } from '../../shared/runtime/service.js';
import type { Instrument } from '../../shared/contract/contract.js';
import { makeTopics } from '../../shared/contract/topics.js';
import { msg } from '../helpers/messages.js';
import { note, plainInstruments, rejected } from './fixtures.js';

const topics = makeTopics();
const table: Instrument[] = plainInstruments.map((i) => ({ ...i, minIntervalMs: i.instrument <= 2 ? 20 : 0 }));
const dropped = (instrument: number): MapperOutput => ({ kind: 'dropped', instrument });
const on = (instrument: number, value: string) => msg(`openwest/instruments/${instrument}`, value);

let scheduler: TestScheduler;
beforeEach(() => {
  scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
});
const pipeline = () => mapValues({ topics, instruments: table, scheduler });

describe('per-instrument rate limit (minIntervalMs), in virtual time', () => {
  it('drops a value that comes sooner than minIntervalMs and never plays it later', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const in$ = cold('a 9ms b 20ms c', { a: on(1, '60'), b: on(1, '62'), c: on(1, '64') });
      expectObservable(pipeline()(in$)).toBe('a 9ms b 20ms c', {
        a: note(table, 1, 60, 1),
        b: dropped(1),
        c: note(table, 1, 64, 2),
      });
    });
  });

  it('measures the interval from the last value played, not the last one dropped', () => {
    scheduler.run(({ cold, expectObservable }) => {
      // 0 played, 15 dropped, 25 played (25 ms after the one at 0, though 10 after the dropped one)
      const in$ = cold('a 14ms b 9ms c', { a: on(1, '60'), b: on(1, '62'), c: on(1, '64') });
      expectObservable(pipeline()(in$)).toBe('a 14ms b 9ms c', {
        a: note(table, 1, 60, 1),
        b: dropped(1),
        c: note(table, 1, 64, 2),
      });
    });
  });

  it('plays a value that comes exactly minIntervalMs after the last one', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const in$ = cold('a 19ms b', { a: on(1, '60'), b: on(1, '62') });
      expectObservable(pipeline()(in$)).toBe('a 19ms b', { a: note(table, 1, 60, 1), b: note(table, 1, 62, 2) });
    });
  });

  it('limits each instrument on its own', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const in$ = cold('a b c d', { a: on(1, '60'), b: on(2, '60'), c: on(1, '62'), d: on(3, '62') });
      expectObservable(pipeline()(in$)).toBe('a b c d', {
        a: note(table, 1, 60, 1),
        b: note(table, 2, 60, 1),
        c: dropped(1),
        d: note(table, 3, 62, 1),
      });
    });
  });

  it('lets every value through when minIntervalMs is 0, and rejections never count towards the limit', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const in$ = cold('(abc)', { a: on(3, '60'), b: on(3, '62'), c: on(1, 'x') });
      expectObservable(pipeline()(in$)).toBe('(abc)', {
        a: note(table, 3, 60, 1),
        b: note(table, 3, 62, 2),
        c: rejected('openwest/instruments/1', 'x', 'not-a-number', 'not a number: "x" (send a plain decimal like 62)'),
      });
    });
  });

  it('keeps one note per interval from a flood on one instrument', () => {
    scheduler.run(({ cold, expectObservable }) => {
      // 100 values, one per virtual ms (each marble frame is 1 ms): a note at 0, 20, 40, 60, 80.
      const in$ = cold('x'.repeat(100), { x: on(2, '50') });
      const seqKeys = 'ABCDE';
      const expected = Array.from({ length: 100 }, (_, t) => (t % 20 === 0 ? seqKeys[t / 20] : 'd')).join('');
      expectObservable(pipeline()(in$)).toBe(expected, {
        d: dropped(2),
        ...Object.fromEntries([...seqKeys].map((key, i) => [key, note(table, 2, 50, i + 1)])),
      });
    });
  });

  it('plays rather than drops when the clock goes back (a wall-clock correction)', () => {
    const clock = new VirtualTimeScheduler();
    const input = new Subject<IncomingMessage>();
    const kinds: string[] = [];
    mapValues({ topics, instruments: table, scheduler: clock })(input).subscribe((o) => kinds.push(o.kind));
    clock.frame = 10_000;
    input.next(on(1, '60'));
    clock.frame = 5_000; // an hour's worth of dropped notes if "elapsed" were taken as negative
    input.next(on(1, '62'));
    clock.frame = 5_010;
    input.next(on(1, '64'));
    expect(kinds).toEqual(['note', 'note', 'dropped']);
  });
});

describe("the performer's lane, in virtual time", () => {
  const performer = (instrument: number, value: string) => msg(`openwest/performer/${instrument}`, value);

  it('never drops a performer value, however fast, and marks its notes as the performer’s', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const in$ = cold('a 1ms b 1ms c', { a: performer(1, '60'), b: performer(1, '62'), c: performer(1, '64') });
      const out$ = pipeline()(in$);
      expectObservable(out$).toBe('a 1ms b 1ms c', {
        a: note(table, 1, 60, 1, { source: 'performer' }),
        b: note(table, 1, 62, 2, { source: 'performer' }),
        c: note(table, 1, 64, 3, { source: 'performer' }),
      });
    });
  });

  it('does not hold the audience back on the same instrument, nor is held back by it', () => {
    scheduler.run(({ cold, expectObservable }) => {
      // audience at 0, performer at 5 (passes), audience at 10 (dropped: 10 ms after the audience's last)
      const in$ = cold('a 4ms p 4ms b', { a: on(1, '60'), p: performer(1, '70'), b: on(1, '62') });
      expectObservable(pipeline()(in$)).toBe('a 4ms p 4ms b', {
        a: note(table, 1, 60, 1),
        p: note(table, 1, 70, 2, { source: 'performer' }),
        b: dropped(1),
      });
    });
  });
});
