import { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import type { DropReason, MapperOutput } from '../../services/mapper/mapper-output.js';
import { mapValues } from '../../services/mapper/pipeline.js';
import type { Instrument } from '../../shared/contract/contract.js';
import { makeTopics } from '../../shared/contract/topics.js';
import { msg } from '../helpers/messages.js';
import { note, plainInstruments } from './fixtures.js';

const topics = makeTopics();
/** Instrument 2 capped at 10 notes a second (a bucket of 5: half a second, at least 4); no retrigger time. */
const table: Instrument[] = plainInstruments.map((i) => (i.instrument === 2 ? { ...i, maxNotesPerSecond: 10 } : i));
const dropped = (instrument: number, reason: DropReason = 'rate'): MapperOutput => ({
  kind: 'dropped',
  instrument,
  reason,
});
const on = (instrument: number, value: number | string) => msg(`openwest/instruments/${instrument}`, String(value));
const performer = (instrument: number, value: number | string) =>
  msg(`openwest/performer/${instrument}`, String(value));

let scheduler: TestScheduler;
beforeEach(() => {
  scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
});
const pipeline = (instruments: readonly Instrument[] = table) => mapValues({ topics, instruments, scheduler });

/** `count` values on `instrument`, one per virtual millisecond, each a different note (30, 31, … 90, 30, …). */
const flood = (instrument: number, count: number, make = on) => {
  const keys = Array.from({ length: count }, (_, k) => String.fromCharCode(0x100 + k));
  const values = Object.fromEntries(keys.map((key, k) => [key, make(instrument, 30 + (k % 61))]));
  return { marbles: keys.join(''), values };
};

describe('the cap on notes per instrument per second (a token bucket), in virtual time', () => {
  it('plays a chord whole up to the bucket (5) and drops the rest of it, counted as over the rate', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const in$ = cold('(abcdef)', {
        a: on(2, 60),
        b: on(2, 61),
        c: on(2, 62),
        d: on(2, 63),
        e: on(2, 64),
        f: on(2, 65),
      });
      expectObservable(pipeline()(in$)).toBe('(abcdex)', {
        a: note(table, 2, 60, 1),
        b: note(table, 2, 61, 2),
        c: note(table, 2, 62, 3),
        d: note(table, 2, 63, 4),
        e: note(table, 2, 64, 5),
        x: dropped(2),
      });
    });
  });

  it('refills at the rate: after an empty bucket, one note every 100 ms', () => {
    scheduler.run(({ cold, expectObservable }) => {
      // five at 0 empty the bucket; at 52 ms half a token has come back; at 102 ms one has
      const in$ = cold('(abcde) 45ms f 49ms g', {
        a: on(2, 60),
        b: on(2, 61),
        c: on(2, 62),
        d: on(2, 63),
        e: on(2, 64),
        f: on(2, 65),
        g: on(2, 66),
      });
      expectObservable(pipeline()(in$)).toBe('(abcde) 45ms x 49ms g', {
        a: note(table, 2, 60, 1),
        b: note(table, 2, 61, 2),
        c: note(table, 2, 62, 3),
        d: note(table, 2, 63, 4),
        e: note(table, 2, 64, 5),
        x: dropped(2),
        g: note(table, 2, 66, 6),
      });
    });
  });

  it('caps a flood of one value a millisecond for 2 s at the bucket plus the rate: 5 + 20 notes', () => {
    scheduler.run(({ cold, flush }) => {
      const { marbles, values } = flood(2, 2_000);
      const outputs: MapperOutput[] = [];
      pipeline()(cold(marbles, values)).subscribe((o) => outputs.push(o));
      flush();
      const notes = outputs.filter((o) => o.kind === 'note').length;
      // 5 from the full bucket, then 10 a second for 1.999 s (a token is 100 ms: 19 or 20 of them)
      expect(notes).toBeGreaterThanOrEqual(24);
      expect(notes).toBeLessThanOrEqual(25);
      expect(outputs).toHaveLength(2_000);
      expect(outputs.filter((o) => o.kind === 'dropped')).toEqual(Array(2_000 - notes).fill(dropped(2)));
    });
  });

  it('leaves other instruments alone in one pipeline: a flood on 2 and a melody on 3 share it', () => {
    scheduler.run(({ cold, flush }) => {
      const keys = Array.from({ length: 300 }, (_, k) => String.fromCharCode(0x100 + k));
      // every third frame is instrument 3, the rest flood instrument 2
      const values = Object.fromEntries(
        keys.map((key, k) => [key, k % 3 === 0 ? on(3, 30 + ((k / 3) % 61)) : on(2, 30 + (k % 61))]),
      );
      const outputs: MapperOutput[] = [];
      pipeline()(cold(keys.join(''), values)).subscribe((o) => outputs.push(o));
      flush();
      expect(outputs.filter((o) => o.kind === 'note' && o.event.instrument === 3)).toHaveLength(100);
      expect(outputs.filter((o) => o.kind === 'note' && o.event.instrument === 2).length).toBeLessThanOrEqual(8);
    });
  });

  it("never caps the performer's values, and they spend no token", () => {
    scheduler.run(({ cold, flush }) => {
      const { marbles, values } = flood(2, 200, performer);
      const outputs: MapperOutput[] = [];
      pipeline()(
        cold(`${marbles}(abcde)`, { ...values, a: on(2, 60), b: on(2, 61), c: on(2, 62), d: on(2, 63), e: on(2, 64) }),
      ).subscribe((o) => outputs.push(o));
      flush();
      expect(outputs.filter((o) => o.kind === 'note' && o.event.source === 'performer')).toHaveLength(200);
      // the audience's chord after the performer's 200 notes still finds a full bucket
      expect(outputs.filter((o) => o.kind === 'note' && o.event.source === 'audience')).toHaveLength(5);
      expect(outputs.filter((o) => o.kind === 'dropped')).toEqual([]);
    });
  });

  it('lets everything through when maxNotesPerSecond is 0', () => {
    scheduler.run(({ cold, flush }) => {
      const { marbles, values } = flood(3, 1_000);
      const outputs: MapperOutput[] = [];
      pipeline()(cold(marbles, values)).subscribe((o) => outputs.push(o));
      flush();
      expect(outputs.filter((o) => o.kind === 'note')).toHaveLength(1_000);
    });
  });
});
