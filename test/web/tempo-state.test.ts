import { describe, expect, it } from 'vitest';
import { beatAt, tempoOf } from '../../web/state/tempo-state.js';

describe("the page's reading of the room's tempo", () => {
  it('reads a tempo, none for bpm 0 or an empty payload, and undefined (keep what it had) for anything else', () => {
    expect(tempoOf('{"bpm":120,"steps":4,"since":1000}')).toEqual({ bpm: 120, steps: 4, since: 1000 });
    expect(tempoOf('{"bpm":0,"steps":4,"since":1000}')).toBeNull();
    expect(tempoOf('')).toBeNull();
    expect(tempoOf('{"bpm":5000,"steps":4,"since":1000}')).toBeUndefined();
    expect(tempoOf('{"bpm":120,"steps":3,"since":1000}')).toBeUndefined();
    expect(tempoOf('120')).toBeUndefined();
    expect(tempoOf('{')).toBeUndefined();
  });

  it('counts beats from since: 120 bpm is a beat every 500 ms, before since too', () => {
    const tempo = { bpm: 120, steps: 4 as const, since: 10_000 };
    expect([9_999, 10_000, 10_499, 10_500, 11_000].map((t) => beatAt(tempo, t))).toEqual([-1, 0, 0, 1, 2]);
  });
});
