import { Subject, VirtualTimeScheduler } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { defaultInstruments } from '../../services/mapper/instruments.js';
import type { DropReason, MapperOutput } from '../../services/mapper/mapper-output.js';
import { mapValues } from '../../services/mapper/pipeline.js';
import type { Instrument } from '../../shared/contract/contract.js';
import { makeTopics } from '../../shared/contract/topics.js';
import type { IncomingMessage } from '../../shared/runtime/service.js';
import { msg } from '../helpers/messages.js';
import { note, plainInstruments, rejected } from './fixtures.js';

const topics = makeTopics();
/** Instruments 1 and 2 with a 20 ms retrigger time and no cap; the rest with no rules. */
const table: Instrument[] = plainInstruments.map((i) => (i.instrument <= 2 ? { ...i, retriggerMs: 20 } : i));
const dropped = (instrument: number, reason: DropReason = 'retrigger'): MapperOutput => ({
  kind: 'dropped',
  instrument,
  reason,
});
const on = (instrument: number, value: string) => msg(`openwest/instruments/${instrument}`, value);
const performer = (instrument: number, value: string) => msg(`openwest/performer/${instrument}`, value);

let scheduler: TestScheduler;
beforeEach(() => {
  scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
});
const pipeline = (instruments: readonly Instrument[] = table) => mapValues({ topics, instruments, scheduler });

describe('chords sound: the retrigger time is per instrument and note, in virtual time', () => {
  it('plays every note of a 3-note chord published at one instant', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const in$ = cold('(abc)', { a: on(1, '60'), b: on(1, '64'), c: on(1, '67') });
      expectObservable(pipeline()(in$)).toBe('(abc)', {
        a: note(table, 1, 60, 1),
        b: note(table, 1, 64, 2),
        c: note(table, 1, 67, 3),
      });
    });
  });

  it('plays a 4-note chord whole on every default instrument (their own scales, retrigger times and caps)', () => {
    const clock = new VirtualTimeScheduler();
    const input = new Subject<IncomingMessage>();
    const outputs: MapperOutput[] = [];
    mapValues({ topics, instruments: defaultInstruments, scheduler: clock })(input).subscribe((o) => outputs.push(o));
    // within 1 ms: three notes at 0, the fourth at 1, on all sixteen instruments at once
    for (const i of defaultInstruments) {
      for (const value of ['60', '64', '67']) clock.schedule(() => input.next(on(i.instrument, value)), 0);
      clock.schedule(() => input.next(on(i.instrument, '71')), 1);
    }
    clock.flush();
    expect(outputs.filter((o) => o.kind !== 'note')).toEqual([]);
    for (const i of defaultInstruments) {
      const notes = outputs.flatMap((o) => (o.kind === 'note' && o.event.instrument === i.instrument ? [o.event] : []));
      expect(
        notes.map((e) => e.value),
        i.name,
      ).toEqual([60, 64, 67, 71]);
      expect(new Set(notes.map((e) => e.note)).size, `${i.name}: four different notes`).toBe(4);
    }
  });

  it('drops the same note again within retriggerMs, plays it after, and never plays a dropped one later', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const in$ = cold('a 9ms a 9ms a 9ms a', { a: on(1, '60') });
      // 0 played; 10 dropped; 20 played (20 ms after the one at 0); 30 dropped
      expectObservable(pipeline()(in$)).toBe('a 9ms d 9ms b 9ms d', {
        a: note(table, 1, 60, 1),
        d: dropped(1),
        b: note(table, 1, 60, 2),
      });
    });
  });

  it('counts the retrigger time from the note last played, not the last one dropped', () => {
    scheduler.run(({ cold, expectObservable }) => {
      // 0 played, 15 dropped, 25 played: 25 ms after the one at 0, though 10 after the dropped one
      const in$ = cold('a 14ms a 9ms a', { a: on(1, '60') });
      expectObservable(pipeline()(in$)).toBe('a 14ms d 9ms b', {
        a: note(table, 1, 60, 1),
        d: dropped(1),
        b: note(table, 1, 60, 2),
      });
    });
  });

  it('plays fast runs of different notes: the rule is per note', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const in$ = cold('abcab', { a: on(1, '60'), b: on(1, '62'), c: on(1, '64') });
      // each note comes back 3 ms later: inside 20 ms, so the repeats are dropped
      expectObservable(pipeline()(in$)).toBe('abcxy', {
        a: note(table, 1, 60, 1),
        b: note(table, 1, 62, 2),
        c: note(table, 1, 64, 3),
        x: dropped(1),
        y: dropped(1),
      });
    });
  });

  it('takes two values that snap to one note as the same note', () => {
    const major = table.map((i) => (i.instrument === 1 ? { ...i, scale: 'major' as const } : i));
    scheduler.run(({ cold, expectObservable }) => {
      // C major has no C#: 61 snaps up to D4 (62), the note 62 just played
      const in$ = cold('ab', { a: on(1, '62'), b: on(1, '61') });
      expectObservable(pipeline(major)(in$)).toBe('ad', { a: note(major, 1, 62, 1), d: dropped(1) });
    });
  });

  it('keeps each instrument to itself: the same note on another instrument plays', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const in$ = cold('abcd', { a: on(1, '60'), b: on(2, '60'), c: on(1, '60'), d: on(3, '60') });
      expectObservable(pipeline()(in$)).toBe('abcd', {
        a: note(table, 1, 60, 1),
        b: note(table, 2, 60, 1),
        c: dropped(1),
        d: note(table, 3, 60, 1),
      });
    });
  });

  it('lets every repeat through when retriggerMs is 0, and a rejection never counts as a note', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const in$ = cold('(abc)', { a: on(3, '60'), b: on(3, '60'), c: on(1, 'x') });
      expectObservable(pipeline()(in$)).toBe('(abc)', {
        a: note(table, 3, 60, 1),
        b: note(table, 3, 60, 2),
        c: rejected('openwest/instruments/1', 'x', 'not-a-number', 'not a number: "x" (send a plain decimal like 62)'),
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
    input.next(on(1, '60'));
    clock.frame = 5_010;
    input.next(on(1, '60'));
    expect(kinds).toEqual(['note', 'note', 'dropped']);
  });
});

describe("the performer's lane is untouched by the audience's rules, in virtual time", () => {
  it('never drops a performer value, however fast the same note comes, and marks it the performer’s', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const in$ = cold('a 1ms a 1ms a', { a: performer(1, '60') });
      expectObservable(pipeline()(in$)).toBe('a 1ms b 1ms c', {
        a: note(table, 1, 60, 1, { source: 'performer' }),
        b: note(table, 1, 60, 2, { source: 'performer' }),
        c: note(table, 1, 60, 3, { source: 'performer' }),
      });
    });
  });

  it('does not start the retrigger time of the audience, nor is held back by it', () => {
    scheduler.run(({ cold, expectObservable }) => {
      // performer 60 at 0; audience 60 at 5 plays (the performer's note does not count); performer 60 at 10 plays
      const in$ = cold('p 4ms a 4ms p', { p: performer(1, '60'), a: on(1, '60') });
      expectObservable(pipeline()(in$)).toBe('p 4ms a 4ms q', {
        p: note(table, 1, 60, 1, { source: 'performer' }),
        a: note(table, 1, 60, 2),
        q: note(table, 1, 60, 3, { source: 'performer' }),
      });
    });
  });
});
