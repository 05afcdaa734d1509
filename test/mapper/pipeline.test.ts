import { map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { defaultInstruments } from '../../services/mapper/instruments.js';
import { mapValues } from '../../services/mapper/pipeline.js';
import { makeTopics } from '../../shared/contract/topics.js';
import { msg } from '../helpers/messages.js';
import { note as noteOf, plainInstruments, rejected } from './fixtures.js';

const topics = makeTopics();

let scheduler: TestScheduler;
let pipeline: ReturnType<typeof mapValues>;
beforeEach(() => {
  scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  pipeline = mapValues({ topics, instruments: plainInstruments, scheduler });
});

const note = (instrument: number, value: number, seq: number, receivedAt = 1_000) =>
  noteOf(plainInstruments, instrument, value, seq, { receivedAt });

describe('mapper pipeline', () => {
  it('turns a value into the note of the same number (62 → D4 on channel 1)', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const in$ = cold('a', { a: msg('openwest/instruments/1', '62') });
      expectObservable(pipeline(in$)).toBe('a', { a: note(1, 62, 1) });
    });
  });

  it('plays instrument N on MIDI channel N and counts seq per instrument', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const in$ = cold('a b c d', {
        a: msg('openwest/instruments/1', '60'),
        b: msg('openwest/instruments/3', '62'),
        c: msg('openwest/instruments/1', '64'),
        d: msg('openwest/instruments/3', '66'),
      });
      expectObservable(pipeline(in$)).toBe('a b c d', {
        a: note(1, 60, 1),
        b: note(3, 62, 1),
        c: note(1, 64, 2),
        d: note(3, 66, 2),
      });
    });
  });

  it('keeps the arrival time the runtime stamped', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const in$ = cold('a', { a: msg('openwest/instruments/1', '62', 1234.5) });
      expectObservable(pipeline(in$)).toBe('a', { a: note(1, 62, 1, 1234.5) });
    });
  });

  it('rejects bad input with a reason and keeps playing the next valid value', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const in$ = cold('a b c d e', {
        a: msg('openwest/instruments/1', 'abc'),
        b: msg('openwest/instruments/1', '95'),
        c: msg('openwest/instruments/17', '62'),
        d: msg('openwest/instruments/1', ''),
        e: msg('openwest/instruments/1', '62'),
      });
      expectObservable(pipeline(in$)).toBe('a b c d e', {
        a: rejected(
          'openwest/instruments/1',
          'abc',
          'not-a-number',
          'not a number: "abc" (send a plain decimal like 62)',
        ),
        b: rejected('openwest/instruments/1', '95', 'out-of-range', 'out of range: 95 (values run from 30 to 90)'),
        c: rejected(
          'openwest/instruments/17',
          '62',
          'bad-instrument',
          'instrument must be a number 1-16 without leading zeros, got "17"',
        ),
        d: rejected('openwest/instruments/1', '', 'empty', 'empty payload: send a number from 30 to 90'),
        e: note(1, 62, 1),
      });
    });
  });

  it('does not count rejected values in seq', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const in$ = cold('a b c', {
        a: msg('openwest/instruments/2', '60'),
        b: msg('openwest/instruments/2', 'x'),
        c: msg('openwest/instruments/2', '62'),
      });
      const out$ = pipeline(in$);
      expectObservable(out$).toBe('a b c', {
        a: note(2, 60, 1),
        b: rejected('openwest/instruments/2', 'x', 'not-a-number', 'not a number: "x" (send a plain decimal like 62)'),
        c: note(2, 62, 2),
      });
    });
  });

  it('cuts an oversized payload to 64 characters in the rejection', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const long = '6'.repeat(200);
      const in$ = cold('a', { a: msg('openwest/instruments/1', long) });
      expectObservable(pipeline(in$)).toBe('a', {
        a: rejected('openwest/instruments/1', '6'.repeat(64), 'too-long', 'payload too long: 200 bytes (at most 16)'),
      });
    });
  });

  it('starts each subscription from seq 1', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const in$ = cold('a', { a: msg('openwest/instruments/1', '62') });
      const out$ = pipeline(in$);
      expectObservable(out$).toBe('a', { a: note(1, 62, 1) });
      expectObservable(out$).toBe('a', { a: note(1, 62, 1) });
    });
  });
});

describe('mapper pipeline with the default instruments', () => {
  const defaults = () => mapValues({ topics, instruments: defaultInstruments, scheduler });
  const on = (instrument: number, value: string) => msg(`openwest/instruments/${instrument}`, value);

  it('plays the value as the note on the piano, snaps to the scale elsewhere, maps drums onto percussion', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const in$ = cold('a b c d e', {
        a: on(1, '62'), // piano, chromatic: D4
        b: on(3, '66'), // pad, C major: F#4 → tie F/G → G4 (67)
        c: on(2, '61'), // bass, A minor pentatonic, down an octave: 49 (C#3) → tie C/D → D3 (50)
        d: on(10, '30'), // drums: the lowest value → 35, Acoustic Bass Drum, on channel 10
        e: on(4, '62.4'), // lead, A minor pentatonic, up an octave: 62 → 74 (D5)
      });
      expectObservable(defaults()(in$)).toBe('a b c d e', {
        a: noteOf(defaultInstruments, 1, 62, 1, { note: 62 }),
        b: noteOf(defaultInstruments, 3, 66, 1, { note: 67 }),
        c: noteOf(defaultInstruments, 2, 61, 1, { note: 50 }),
        d: noteOf(defaultInstruments, 10, 30, 1, { note: 35 }),
        e: noteOf(defaultInstruments, 4, 62, 1, { note: 74 }),
      });
    });
  });

  it('names the note it plays (F#4, B1)', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const in$ = cold('a b', { a: on(1, '66'), b: on(10, '30') });
      expectObservable(
        defaults()(in$).pipe(map((o) => (o.kind === 'note' ? `${o.event.name}@${o.event.channel}` : o.kind))),
      ).toBe('a b', { a: 'F#4@1', b: 'B1@10' });
    });
  });
});
