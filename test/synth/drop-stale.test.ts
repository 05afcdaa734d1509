import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { NoteEvent } from '../../shared/contract/contract.js';
import { dropStale } from '../../services/synth/drop-stale.js';
import { noteEvent } from '../helpers/messages.js';

const event = (seq: number, receivedAt: number, source?: NoteEvent['source']): NoteEvent =>
  noteEvent({ seq, receivedAt, ...(source ? { source } : {}) });

describe('stale audience notes, in virtual time', () => {
  it('drops an audience note older than the bound when it arrives and counts it; plays the performer’s and unmarked ones however late', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ cold, expectObservable }) => {
      // received by the mapper at 0; reaching the synth at 50 (fresh) or at 150 (stale)
      const fresh = event(1, 0, 'audience');
      const stale = event(2, 0, 'audience');
      const performer = event(3, 0, 'performer');
      const unmarked = event(4, 0);
      const dropped: number[] = [];
      const in$ = cold('50ms a 99ms (bcd)', { a: fresh, b: stale, c: performer, d: unmarked });
      expectObservable(
        in$.pipe(
          dropStale(
            100,
            () => scheduler.now(),
            (e, age) => dropped.push(e.seq, age),
          ),
        ),
      ).toBe('50ms a 99ms (cd)', {
        a: fresh,
        c: performer,
        d: unmarked,
      });
      scheduler.flush();
      expect(dropped).toEqual([2, 150]);
    });
  });

  it('plays every note when the bound is 0 (off)', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ cold, expectObservable }) => {
      const late = event(1, 0, 'audience');
      expectObservable(
        cold('5s a', { a: late }).pipe(
          dropStale(
            0,
            () => scheduler.now(),
            () => {},
          ),
        ),
      ).toBe('5s a', { a: late });
    });
  });
});
