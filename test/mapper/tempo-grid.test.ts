import { describe, expect, it } from 'vitest';
import { nextStep, stepMsOf } from '../../services/mapper/tempo-grid.js';

const tempo = (since: number) => ({ bpm: 120, steps: 4 as const, since });

describe('the tempo grid', () => {
  it('gives the first step at or after now: a step every 125 ms at 120 bpm in sixteenths', () => {
    expect(stepMsOf(tempo(0))).toBe(125);
    expect(nextStep(tempo(0), 10)).toBe(125);
    expect(nextStep(tempo(0), 250)).toBe(250);
    expect(nextStep(tempo(40), 10)).toBe(40);
    expect(nextStep(tempo(40), 41)).toBe(165);
  });

  it('never schedules into the past nor more than a step ahead, whatever a service put in since', () => {
    const now = 1_795_000_000_000;
    for (const since of [0, now - 0.1, now + 1e9, 1e22, Number.MAX_SAFE_INTEGER * 1e6]) {
      const due = nextStep(tempo(since), now);
      expect(due, `since ${since}`).toBeGreaterThanOrEqual(now);
      expect(due, `since ${since}`).toBeLessThanOrEqual(now + 125);
    }
  });
});
