import { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SynthCommand } from '../../services/synth/commands.js';
import { playNotes } from '../../services/synth/play-notes.js';
import { noteEvent } from '../helpers/messages.js';

let scheduler: TestScheduler;
beforeEach(() => {
  scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
});

const play = () => playNotes({ maxNoteMs: 10_000 }, scheduler);
const on = (e: ReturnType<typeof noteEvent>): SynthCommand => ({ kind: 'noteOn', channel: e.channel, note: e.note, velocity: e.velocity, event: e });
const off = (channel: number, note: number): SynthCommand => ({ kind: 'noteOff', channel, note });
const program = (channel: number, p: number): SynthCommand => ({ kind: 'program', channel, program: p });

describe('synth note offs, one queue', () => {
  it('sends a short note’s off before a longer note’s that started earlier', () => {
    const a = noteEvent({ note: 60, durationMs: 100 });
    const b = noteEvent({ note: 64, durationMs: 20 });
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(play()(cold('a 9ms b', { a, b }))).toBe('(pa) 6ms b 19ms y 69ms x', {
        p: program(1, 0),
        a: on(a),
        b: on(b),
        x: off(1, 60),
        y: off(1, 64),
      });
    });
  });

  it('finishes only after the last note off once the notes end', () => {
    const a = noteEvent({ note: 60, durationMs: 30 });
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(play()(cold('a|', { a }))).toBe('(pa) 26ms (x|)', { p: program(1, 0), a: on(a), x: off(1, 60) });
    });
  });

  it('sends nothing more once unsubscribed, not even pending note offs', () => {
    const a = noteEvent({ note: 60, durationMs: 30 });
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(play()(cold('a', { a })), '^ 10ms !').toBe('(pa)', { p: program(1, 0), a: on(a) });
    });
  });
});
