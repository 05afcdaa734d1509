import { BehaviorSubject, of, Subject, VirtualTimeScheduler, type SchedulerAction, type SchedulerLike } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import type { MapperOutput, NoteOutput } from '../../services/mapper/mapper-output.js';
import { mapValues } from '../../services/mapper/pipeline.js';
import { quantiseAudience } from '../../services/mapper/quantise-audience.js';
import type { Tempo } from '../../shared/contract/contract.js';
import { makeTopics } from '../../shared/contract/topics.js';
import type { IncomingMessage } from '../../shared/runtime/service.js';
import { msg } from '../helpers/messages.js';
import { note, plainInstruments } from './fixtures.js';

const topics = makeTopics();
const table = plainInstruments;
/** 120 bpm in sixteenths: a step every 125 ms, on the grid 0, 125, 250, … */
const tempo: Tempo = { bpm: 120, steps: 4, since: 0 };
const on = (instrument: number, value: string) => msg(`openwest/instruments/${instrument}`, value);
const performer = (instrument: number, value: string) => msg(`openwest/performer/${instrument}`, value);
/** The note the pipeline gives, due at `receivedAt` (1000) plus the wait. */
const due = (out: MapperOutput, waitMs: number): MapperOutput =>
  out.kind === 'note' ? { ...out, event: { ...out.event, dueAt: out.event.receivedAt + waitMs } } : out;

let scheduler: TestScheduler;
beforeEach(() => {
  scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
});

describe('a room in time: audience notes wait for the next grid step (virtual time)', () => {
  it('lands each audience note on the next step, with dueAt = its step, in arrival order', () => {
    scheduler.run(({ cold, expectObservable }) => {
      // at 10, 130 and 250 (a step)
      const in$ = cold('10ms a 119ms b 119ms c', { a: on(1, '60'), b: on(1, '62'), c: on(1, '64') });
      const out$ = mapValues({ topics, instruments: table, scheduler, tempo$: of(tempo) })(in$);
      expectObservable(out$).toBe('125ms a 124ms (bc)', {
        a: due(note(table, 1, 60, 1), 115),
        b: due(note(table, 1, 62, 2), 120),
        c: due(note(table, 1, 64, 3), 0), // on the step: no wait, after the notes waiting for it
      });
    });
  });

  it('plays the same note once at a step, dropping its repeats as retrigger, however far apart they came', () => {
    scheduler.run(({ cold, expectObservable }) => {
      // at 5, 40 and 75: each passed the arrival-time retrigger rule, all would sound at 125
      const in$ = cold('5ms a 34ms a 34ms a', { a: on(1, '60') });
      const out$ = mapValues({ topics, instruments: table, scheduler, tempo$: of(tempo) })(in$);
      expectObservable(out$).toBe('40ms d 34ms d 49ms n', {
        d: { kind: 'dropped', instrument: 1, reason: 'retrigger' },
        n: due(note(table, 1, 60, 1), 120),
      });
    });
  });

  it('plays a note that arrives on a step at once when none waits for it', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const in$ = cold('250ms a', { a: on(1, '60') });
      const out$ = mapValues({ topics, instruments: table, scheduler, tempo$: of(tempo) })(in$);
      expectObservable(out$).toBe('250ms a', { a: due(note(table, 1, 60, 1), 0) });
    });
  });

  it('adds less than one step to every note, whenever it arrives, and every note leaves on a step', () => {
    const clock = new VirtualTimeScheduler();
    const input = new Subject<IncomingMessage>();
    const waits: number[] = [];
    const arrivals = new Map<string, number>();
    mapValues({ topics, instruments: table, scheduler: clock, tempo$: of({ ...tempo, since: 40 }) })(input).subscribe(
      (out) => {
        if (out.kind !== 'note') throw new Error(`unexpected ${out.kind}`);
        const left = clock.now();
        expect((left - 40) % 125, `note ${out.event.seq} leaves on a step`).toBe(0);
        const wait = left - arrivals.get(`${out.event.instrument}:${out.event.seq}`)!;
        expect(out.event.dueAt).toBe(out.event.receivedAt + wait);
        waits.push(wait);
      },
    );
    // one note every ms for 500 ms on instruments 1–16 in turn (no rate rules in this table)
    for (let t = 0; t < 500; t++) {
      const instrument = (t % 16) + 1;
      const seq = Math.floor(t / 16) + 1;
      clock.schedule(() => {
        arrivals.set(`${instrument}:${seq}`, t);
        input.next(on(instrument, String(30 + (t % 61))));
      }, t);
    }
    clock.flush();
    expect(waits).toHaveLength(500);
    expect(Math.max(...waits)).toBeLessThan(125);
    expect(Math.min(...waits)).toBe(0);
  });

  it("plays the performer's notes at once, and the audience's at once without a tempo or with bpm 0", () => {
    scheduler.run(({ cold, hot, expectObservable }) => {
      const tempo$ = hot('t 199ms o', { t: tempo, o: { ...tempo, bpm: 0 } });
      const in$ = cold('10ms p 99ms a 99ms b', { p: performer(1, '60'), a: on(1, '62'), b: on(1, '64') });
      const out$ = mapValues({ topics, instruments: table, scheduler, tempo$ })(in$);
      // p at 10 (performer: at once); a at 110 waits for 125; tempo off at 200; b at 210 at once
      expectObservable(out$).toBe('10ms p 114ms a 84ms b', {
        p: note(table, 1, 60, 1, { source: 'performer' }),
        a: due(note(table, 1, 62, 2), 15),
        b: note(table, 1, 64, 3),
      });
    });
  });

  it('keeps the rate rules before the grid: a dropped value is dropped at once, not queued', () => {
    const ruled = table.map((i) => (i.instrument === 1 ? { ...i, retriggerMs: 50 } : i));
    scheduler.run(({ cold, expectObservable }) => {
      const in$ = cold('10ms a 9ms a', { a: on(1, '60') });
      const out$ = mapValues({ topics, instruments: ruled, scheduler, tempo$: of(tempo) })(in$);
      expectObservable(out$).toBe('20ms d 104ms a', {
        a: due(note(ruled, 1, 60, 1), 115),
        d: { kind: 'dropped', instrument: 1, reason: 'retrigger' },
      });
    });
  });
});

describe('the wait is bounded (the operator alone, virtual time)', () => {
  // A different note each (the same note twice at one step is one note: see above).
  const audienceNote = (seq: number): NoteOutput => note(table, 1, 59 + seq, seq) as NoteOutput;

  it('drops a note when maxWaiting are already waiting, counted as queue-full, and sends the rest on their step', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const in$ = cold('10ms (abcd)', {
        a: audienceNote(1),
        b: audienceNote(2),
        c: audienceNote(3),
        d: audienceNote(4),
      });
      expectObservable(in$.pipe(quantiseAudience(of(tempo), scheduler, 3))).toBe('10ms x 114ms (abc)', {
        a: due(audienceNote(1), 115),
        b: due(audienceNote(2), 115),
        c: due(audienceNote(3), 115),
        x: { kind: 'dropped', instrument: 1, reason: 'queue-full' },
      });
    });
  });

  it('makes room again once a step has gone out', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const in$ = cold('10ms (ab) 196ms (cd)', {
        a: audienceNote(1),
        b: audienceNote(2),
        c: audienceNote(3),
        d: audienceNote(4),
      });
      // two waiting at most: both pairs fit, one step apart (125 and 250)
      expectObservable(in$.pipe(quantiseAudience(of(tempo), scheduler, 2))).toBe('125ms (ab) 121ms (cd)', {
        a: due(audienceNote(1), 115),
        b: due(audienceNote(2), 115),
        c: due(audienceNote(3), 40),
        d: due(audienceNote(4), 40),
      });
    });
  });

  it('sends the waiting notes at their step when the source completes, then completes', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const in$ = cold('10ms a|', { a: audienceNote(1) });
      expectObservable(in$.pipe(quantiseAudience(of(tempo), scheduler))).toBe('125ms (a|)', {
        a: due(audienceNote(1), 115),
      });
    });
  });

  it('sends a late step late but never moves it to another step: dueAt stays the step', () => {
    const clock = new VirtualTimeScheduler();
    // a timer that fires 300 ms late (a blocked event loop)
    const late: SchedulerLike = {
      now: () => clock.now(),
      schedule: <T>(work: (this: SchedulerAction<T>, state?: T) => void, delay = 0, state?: T) =>
        clock.schedule(work, delay + 300, state),
    };
    const input = new Subject<NoteOutput>();
    const out: { at: number; item: MapperOutput }[] = [];
    input
      .pipe(quantiseAudience(new BehaviorSubject<Tempo | null>(tempo), late))
      .subscribe((item) => out.push({ at: clock.now(), item }));
    clock.schedule(() => input.next(audienceNote(1)), 10);
    clock.schedule(() => input.next(audienceNote(2)), 200);
    clock.flush();
    expect(out).toEqual([
      { at: 425, item: due(audienceNote(1), 115) },
      { at: 550, item: due(audienceNote(2), 50) },
    ]);
  });

  it('stops its timers when unsubscribed: nothing goes out after', () => {
    const clock = new VirtualTimeScheduler();
    const input = new Subject<NoteOutput>();
    const out: MapperOutput[] = [];
    const subscription = input.pipe(quantiseAudience(of(tempo), clock)).subscribe((item) => out.push(item));
    clock.schedule(() => input.next(audienceNote(1)), 10);
    clock.schedule(() => subscription.unsubscribe(), 20);
    clock.flush();
    expect(out).toEqual([]);
    expect(clock.actions).toHaveLength(0);
  });
});
