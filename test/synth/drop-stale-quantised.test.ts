import { filter, map, of, Subject, tap, VirtualTimeScheduler } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { defaultInstruments } from '../../services/mapper/instruments.js';
import { mapValues } from '../../services/mapper/pipeline.js';
import { dropStale } from '../../services/synth/drop-stale.js';
import type { NoteEvent } from '../../shared/contract/contract.js';
import { makeTopics } from '../../shared/contract/topics.js';
import type { IncomingMessage } from '../../shared/runtime/service.js';
import { msg, noteEvent } from '../helpers/messages.js';

const STALE_AFTER_MS = 100;

describe('the synth does not take a note that waited for its grid step as stale (virtual time)', () => {
  it('counts the age from dueAt: a note that waited 240 ms for its step plays; one 160 ms past its step does not', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ cold, expectObservable }) => {
      const onTime = noteEvent({ seq: 1, receivedAt: 0, dueAt: 240, source: 'audience' });
      const late = noteEvent({ seq: 2, receivedAt: 0, dueAt: 240, source: 'audience' });
      const dropped: number[] = [];
      const in$ = cold('245ms a 154ms b', { a: onTime, b: late });
      expectObservable(
        in$.pipe(
          dropStale(
            STALE_AFTER_MS,
            () => scheduler.now(),
            (e, age) => dropped.push(e.seq, age),
          ),
        ),
      ).toBe('245ms a', { a: onTime });
      scheduler.flush();
      expect(dropped).toEqual([2, 160]);
    });
  });

  it('plays every audience note the mapper quantised at 120 bpm in eighths (waits up to 249 ms, over STALE_AFTER_MS)', () => {
    const clock = new VirtualTimeScheduler();
    const input = new Subject<IncomingMessage>();
    const played: NoteEvent[] = [];
    const stale: number[] = [];
    const topics = makeTopics();
    const tempo = { bpm: 120, steps: 2 as const, since: 0 };
    let notes = 0;
    mapValues({ topics, instruments: defaultInstruments, scheduler: clock, tempo$: of(tempo) })(input)
      .pipe(
        filter((out) => out.kind === 'note'),
        map((out) => out.event),
        tap(() => (notes += 1)),
        // the synth's check, 2 ms of transport after the mapper sent the note
        dropStale(
          STALE_AFTER_MS,
          () => clock.now() + 2,
          (_, age) => stale.push(age),
        ),
      )
      .subscribe((e) => played.push(e));
    // one value every 7 ms for 2 s, over the 16 instruments (within their rate rules)
    let sent = 0;
    for (let t = 0; t < 2_000; t += 7) {
      const instrument = (sent % 16) + 1;
      const value = String(30 + ((sent * 7) % 61));
      clock.schedule(() => input.next(msg(topics.instrument(instrument), value, t)), t);
      sent += 1;
    }
    clock.flush();
    expect(stale).toEqual([]);
    const waits = played.map((e) => (e.dueAt ?? e.receivedAt) - e.receivedAt);
    expect(Math.max(...waits), 'some notes waited longer than STALE_AFTER_MS').toBeGreaterThan(STALE_AFTER_MS);
    expect(Math.max(...waits)).toBeLessThan(250);
    expect(notes, 'most values became notes').toBeGreaterThan(sent / 2);
    expect(played).toHaveLength(notes);
  });
});
