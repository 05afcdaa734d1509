import { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SynthCommand } from '../../services/synth/commands.js';
import { playNotes } from '../../services/synth/play-notes.js';
import { noteEvent } from '../helpers/messages.js';

let scheduler: TestScheduler;
beforeEach(() => {
  scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
});

const play = (maxNoteMs = 10_000) => playNotes({ maxNoteMs }, scheduler);
const on = (e: ReturnType<typeof noteEvent>): SynthCommand => ({
  kind: 'noteOn',
  channel: e.channel,
  note: e.note,
  velocity: e.velocity,
  event: e,
});
const off = (channel: number, note: number): SynthCommand => ({ kind: 'noteOff', channel, note });
const program = (channel: number, p: number): SynthCommand => ({ kind: 'program', channel, program: p });

describe('synth pipeline', () => {
  it('plays note on now and note off after durationMs', () => {
    const a = noteEvent({ note: 62, durationMs: 400 });
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(play()(cold('a', { a }))).toBe('(pn) 396ms f', { p: program(1, 0), n: on(a), f: off(1, 62) });
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
        x: off(1, 60),
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
      expectObservable(play()(cold('a 9ms b', { a, b }))).toBe('(pa) 6ms x', { p: program(1, 0), a: on(a), x: off(1, 60) });
    });
  });
});
