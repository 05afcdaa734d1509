import { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import type { NoteOffReason, SynthCommand } from '../../services/synth/commands.js';
import { playNotes } from '../../services/synth/play-notes.js';
import { noteEvent } from '../helpers/messages.js';

let scheduler: TestScheduler;
beforeEach(() => {
  scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
});

const play = (maxNoteMs = 10_000, maxVoicesPerChannel = 16) => playNotes({ maxNoteMs, maxVoicesPerChannel }, scheduler);
const on = (e: ReturnType<typeof noteEvent>): SynthCommand => ({
  kind: 'noteOn',
  channel: e.channel,
  note: e.note,
  velocity: e.velocity,
  event: e,
});
const off = (channel: number, note: number, reason: NoteOffReason = 'ended'): SynthCommand => ({
  kind: 'noteOff',
  channel,
  note,
  reason,
});
const cc = (channel: number, controller: number): SynthCommand => ({
  kind: 'control',
  channel,
  cc: controller,
  value: 0,
});
const program = (channel: number, p: number): SynthCommand => ({ kind: 'program', channel, program: p });

describe('synth pipeline', () => {
  it('plays note on now and note off after durationMs', () => {
    const a = noteEvent({ note: 62, durationMs: 400 });
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(play()(cold('a', { a }))).toBe('(pn) 396ms f', { p: program(1, 0), n: on(a), f: off(1, 62) });
    });
  });

  it('completes once its inputs have and the last note has ended; unsubscribing cancels pending offs', () => {
    const a = noteEvent({ note: 62, durationMs: 400 });
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(play()(cold('a|', { a }), cold('|'))).toBe('(pn) 396ms (f|)', {
        p: program(1, 0),
        n: on(a),
        f: off(1, 62),
      });
      expectObservable(play()(cold('a', { a }), cold('|')), '^ 100ms !').toBe('(pn)', { p: program(1, 0), n: on(a) });
    });
  });

  it('sends a program change only when a channel’s program changes', () => {
    const a = noteEvent({ note: 60, program: 0, durationMs: 5 });
    const b = noteEvent({ note: 62, program: 0, durationMs: 5 });
    const c = noteEvent({ note: 64, program: 33, durationMs: 5 });
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(play()(cold('a 9ms b 9ms c', { a, b, c }))).toBe('(pa) 1ms x 4ms b 4ms y 4ms (qc) 1ms z', {
        p: program(1, 0),
        a: on(a),
        x: off(1, 60),
        b: on(b),
        y: off(1, 62),
        q: program(1, 33),
        c: on(c),
        z: off(1, 64),
      });
    });
  });

  it('retriggers the same note: off, then on, and the old off cannot cut the new note short', () => {
    const a = noteEvent({ note: 60, durationMs: 100 });
    const b = noteEvent({ note: 60, durationMs: 100, seq: 2 });
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(play()(cold('a 49ms b', { a, b }))).toBe('(pa) 46ms (xb) 96ms y', {
        p: program(1, 0),
        a: on(a),
        x: off(1, 60, 'retriggered'),
        b: on(b),
        y: off(1, 60),
      });
    });
  });

  it('overlapping different notes each get their own off', () => {
    const a = noteEvent({ note: 60, durationMs: 100 });
    const b = noteEvent({ note: 64, durationMs: 100 });
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(play()(cold('a 9ms b', { a, b }))).toBe('(pa) 6ms b 89ms x 9ms y', {
        p: program(1, 0),
        a: on(a),
        b: on(b),
        x: off(1, 60),
        y: off(1, 64),
      });
    });
  });

  it('caps absurd durations at maxNoteMs', () => {
    const a = noteEvent({ note: 60, durationMs: 3_600_000 });
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(play(50)(cold('a', { a }))).toBe('(pa) 46ms x', { p: program(1, 0), a: on(a), x: off(1, 60) });
    });
  });

  it('treats velocity 0 as note off', () => {
    const a = noteEvent({ note: 60, durationMs: 100 });
    const b = noteEvent({ note: 60, velocity: 0 });
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(play()(cold('a 9ms b', { a, b }))).toBe('(pa) 6ms x', {
        p: program(1, 0),
        a: on(a),
        x: off(1, 60, 'released'),
      });
    });
  });

  it('steals the oldest note on a channel beyond the polyphony cap, with a note off first', () => {
    const a = noteEvent({ note: 60, durationMs: 100 });
    const b = noteEvent({ note: 62, durationMs: 100 });
    const c = noteEvent({ note: 64, durationMs: 100 });
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(play(10_000, 2)(cold('a 9ms b 9ms c', { a, b, c }))).toBe('(pa) 6ms b 9ms (xc) 86ms y 9ms z', {
        p: program(1, 0),
        a: on(a),
        b: on(b),
        x: off(1, 60, 'stolen'),
        c: on(c),
        y: off(1, 62),
        z: off(1, 64),
      });
    });
  });

  it('counts the polyphony cap per channel: other channels steal nothing', () => {
    const a = noteEvent({ note: 60, durationMs: 100 });
    const b = noteEvent({ note: 60, channel: 2, durationMs: 100 });
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(play(10_000, 1)(cold('a 9ms b', { a, b }))).toBe('(pa) 6ms (qb) 86ms x 9ms y', {
        p: program(1, 0),
        a: on(a),
        q: program(2, 0),
        b: on(b),
        x: off(1, 60),
        y: off(2, 60),
      });
    });
  });

  it('a stolen note’s scheduled off does not end the same note played again later', () => {
    const a = noteEvent({ note: 60, durationMs: 100 });
    const b = noteEvent({ note: 62, durationMs: 100 });
    const c = noteEvent({ note: 60, durationMs: 200 });
    scheduler.run(({ cold, expectObservable }) => {
      // Cap 1: b steals a, c (60 again) steals b; a's off due at 100 ms must not end c.
      expectObservable(play(10_000, 1)(cold('a 9ms b 9ms c', { a, b, c }))).toBe('(pa) 6ms (xb) 6ms (yc) 196ms w', {
        p: program(1, 0),
        a: on(a),
        x: off(1, 60, 'stolen'),
        b: on(b),
        y: off(1, 62, 'stolen'),
        c: on(c),
        w: off(1, 60),
      });
    });
  });

  it('panic: note off for every sounding note, then All Notes Off and All Sound Off on every channel used', () => {
    const a = noteEvent({ note: 60, durationMs: 1_000 });
    const b = noteEvent({ note: 64, channel: 3, durationMs: 1_000 });
    const c = noteEvent({ note: 67, channel: 2, durationMs: 5 });
    scheduler.run(({ cold, expectObservable }) => {
      const events$ = cold('a 9ms b 9ms c', { a, b, c });
      const panics$ = cold('50ms k', { k: 'panic' });
      expectObservable(play()(events$, panics$)).toBe('(pa) 6ms (qb) 6ms (rc) 1ms z 24ms (xyABCDEF)', {
        p: program(1, 0),
        a: on(a),
        q: program(3, 0),
        b: on(b),
        r: program(2, 0),
        c: on(c),
        z: off(2, 67),
        x: off(1, 60, 'panic'),
        y: off(3, 64, 'panic'),
        A: cc(1, 123),
        B: cc(1, 120),
        C: cc(2, 123),
        D: cc(2, 120),
        E: cc(3, 123),
        F: cc(3, 120),
      });
    });
  });

  it('after a panic the silenced notes’ scheduled offs send nothing and programs are sent again', () => {
    const a = noteEvent({ note: 60, durationMs: 100 });
    const b = noteEvent({ note: 62, durationMs: 100 });
    scheduler.run(({ cold, expectObservable }) => {
      const events$ = cold('a 19ms b', { a, b });
      const panics$ = cold('10ms k');
      expectObservable(play()(events$, panics$)).toBe('(pa) 6ms (xAB) 5ms (qb) 96ms y', {
        p: program(1, 0),
        a: on(a),
        x: off(1, 60, 'panic'),
        A: cc(1, 123),
        B: cc(1, 120),
        q: program(1, 0),
        b: on(b),
        y: off(1, 62),
      });
    });
  });

  it('a panic with nothing ever played sends nothing', () => {
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(play()(cold('-'), cold('5ms k'))).toBe('');
    });
  });
});
