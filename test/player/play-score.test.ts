import { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { playScore, type Hit } from '../../services/player/play-score.js';
import { DRUM_KEYS, parseScore } from '../../services/player/score.js';
import { drumValue } from '../../shared/contract/drums.js';

let scheduler: TestScheduler;
beforeEach(() => {
  scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
});

const drum = (name: string) => drumValue(DRUM_KEYS[name]!)!;
const hit = (value: number, plannedMs: number, line = 1, instrument = 1): Hit => ({
  instrument,
  value,
  plannedMs,
  dueAt: plannedMs, // virtual time starts at 0
  line,
});

describe('playing a score in virtual time', () => {
  it('emits each value at its beat: 500 ms a beat at 120 bpm', () => {
    const score = parseScore('64 62 60:2 62:1/2 64');
    scheduler.run(({ expectObservable }) => {
      expectObservable(playScore(score, { bpm: 120, instrument: 1, loop: false }, scheduler)).toBe(
        'a 499ms b 499ms c 999ms d 249ms (e|)',
        { a: hit(64, 0), b: hit(62, 500), c: hit(60, 1000), d: hit(62, 2000), e: hit(64, 2250) },
      );
    });
  });

  it('plays chord values together and honours --instrument and --bpm', () => {
    const score = parseScore('kick+hat hat');
    scheduler.run(({ expectObservable }) => {
      expectObservable(playScore(score, { bpm: 60, instrument: 10, loop: false }, scheduler)).toBe('(ab) 996ms (c|)', {
        a: hit(drum('kick'), 0, 1, 10),
        b: hit(drum('hat'), 0, 1, 10),
        c: hit(drum('hat'), 1000, 1, 10),
      });
    });
  });

  it('loops from the end of the score, rests included, on the same absolute grid', () => {
    const score = parseScore('60 . 62');
    scheduler.run(({ expectObservable }) => {
      const played = playScore(score, { bpm: 120, instrument: 1, loop: true }, scheduler);
      expectObservable(played, '^ 3100ms !').toBe('a 999ms b 499ms c 999ms d 499ms e', {
        a: hit(60, 0),
        b: hit(62, 1000),
        c: hit(60, 1500),
        d: hit(62, 2500),
        e: hit(60, 3000),
      });
    });
  });
});
