import { describe, expect, it } from 'vitest';
import type { Hit } from '../../web/stage/stage-state.js';
import {
  hexOf,
  linearOf,
  poolPlaces,
  STEADY_LEVEL,
  stepWash,
  washLayers,
  washTargets,
  type Place,
  type Wash,
} from '../../web/stage/wash.js';

const PIANO = '#f5c542';
const BASS = '#4287f5';
const hit = (instrument: number, at: number, velocity = 100): Hit => ({
  instrument,
  colour: instrument === 1 ? PIANO : BASS,
  velocity,
  at,
});
/** Runs the light for `ms` in 16 ms frames towards what `hits` ask at each frame. */
function run(
  wash: Wash,
  hits: readonly Hit[],
  from: number,
  ms: number,
  reduced = false,
  places = new Map<number, Place>(),
) {
  const levels: number[] = [];
  for (let t = from; t < from + ms; t += 16) {
    wash = stepWash(wash, washTargets(hits, t, reduced), places, 16, reduced);
    levels.push(Math.max(0, ...wash.map((p) => p.level)));
  }
  return { wash, levels };
}

describe('the colour wash', () => {
  it('round-trips colours through linear light', () => {
    for (const c of [PIANO, BASS, '#000000', '#ffffff']) expect(hexOf(linearOf(c))).toBe(c);
  });

  it("takes each instrument's colour, brighter for more, louder and newer notes", () => {
    const one = washTargets([hit(1, 0)], 0).get(1)!;
    expect(hexOf(one.colour)).toBe(PIANO);
    const many = washTargets([hit(1, 0), hit(1, 0), hit(1, 0)], 0).get(1)!;
    const soft = washTargets([hit(1, 0, 20)], 0).get(1)!;
    const old = washTargets([hit(1, 0)], 2_000).get(1)!;
    expect(many.level).toBeGreaterThan(one.level);
    expect(soft.level).toBeLessThan(one.level);
    expect(old.level).toBeLessThan(one.level);
    expect(many.level).toBeLessThan(1);
  });

  it('gives each instrument its own pool of light instead of mixing them into grey', () => {
    const targets = washTargets([hit(1, 0), hit(2, 10)], 10);
    expect([...targets.keys()]).toEqual([1, 2]);
    expect(hexOf(targets.get(2)!.colour)).toBe(BASS);
  });

  it('rises quickly on a note and glows down slowly to dark, then the pool leaves', () => {
    const rise = run([], [hit(1, 0)], 0, 160);
    expect(rise.levels.at(-1)).toBeGreaterThan(0.8 * washTargets([hit(1, 0)], 160).get(1)!.level);
    const fall = run(rise.wash, [], 160, 400);
    expect(fall.levels.at(-1)).toBeGreaterThan(0.2);
    expect(run(fall.wash, [], 560, 8_000).wash).toEqual([]);
  });

  it('with reduced motion, holds a steady level that never flashes while notes hammer in', () => {
    const hammer = Array.from({ length: 40 }, (_, i) => hit(1 + (i % 2), i * 50, 127));
    const { levels } = run([], hammer, 0, 2_000, true);
    expect(Math.max(...levels)).toBeLessThanOrEqual(STEADY_LEVEL);
    expect(levels.at(-1)).toBeGreaterThan(STEADY_LEVEL / 2);
    // Every frame's change is small: the light drifts.
    const jumps = levels.slice(1).map((l, i) => Math.abs(l - levels[i]!));
    expect(Math.max(...jumps)).toBeLessThan(0.01);
  });

  it('places each pool behind its lane and glides it there as lanes grow and fade', () => {
    const places = poolPlaces([
      { lane: { instrument: 1 }, presence: 1 },
      { lane: { instrument: 2 }, presence: 1 },
    ]);
    expect(places.get(1)!.y).toBeLessThan(places.get(2)!.y);
    expect(places.get(1)!.y).toBeGreaterThan(0);
    expect(places.get(2)!.y).toBeLessThan(1);
    expect(places.get(1)!.h).toBeCloseTo(0.41);
    const alone = poolPlaces([{ lane: { instrument: 1 }, presence: 1 }]);
    expect(alone.get(1)).toEqual({ y: expect.closeTo(0.1 + 0.48 / 2) as number, h: 0.48 });
    const start: Wash = [{ instrument: 1, colour: linearOf(PIANO), level: 0.5, y: 0.2, h: 0.4 }];
    const moved = stepWash(start, washTargets([hit(1, 0)], 0), new Map([[1, { y: 0.6, h: 0.2 }]]), 16);
    expect(moved[0]!.y).toBeGreaterThan(0.2);
    expect(moved[0]!.y).toBeLessThan(0.6);
    expect(moved[0]!.h).toBeLessThan(0.4);
  });

  it('draws as CSS gradient layers, one per pool, and nothing when dark', () => {
    expect(washLayers([])).toBe('none');
    const layers = washLayers([
      { instrument: 1, colour: linearOf(PIANO), level: 1, y: 0.3, h: 0.4 },
      { instrument: 2, colour: linearOf(BASS), level: 0.5, y: 0.7, h: 0.4 },
    ]);
    expect(layers.match(/radial-gradient/g)).toHaveLength(2);
    expect(layers).toContain('rgba(245, 197, 66, 0.750)');
    expect(layers).toContain('ellipse 75% 52.0% at 38% 70.0%');
  });

  it('shares one budget of light among many pools, so a full stage does not go white', () => {
    const crowd = Array.from({ length: 16 }, (_, i) => ({
      instrument: i + 1,
      colour: linearOf(PIANO),
      level: 1,
      y: 0.1 + i * 0.05,
      h: 0.05,
    }));
    const alphas = [...washLayers(crowd).matchAll(/rgba\(245, 197, 66, ([\d.]+)\) 0%/g)].map((m) => Number(m[1]));
    expect(alphas).toHaveLength(16);
    expect(alphas.reduce((a, b) => a + b, 0)).toBeCloseTo(0.75 * 1.6, 2);
  });
});
