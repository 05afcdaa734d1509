import { describe, expect, it } from 'vitest';
import { AudienceAdmission, fairShare } from '../../services/broker/audience-admission.js';

/** A fixed pseudo-random sequence in [0, 1): each client keeps its own phase and wobble, as phones do. */
function lcg(seed: number) {
  let x = seed;
  return () => (x = (x * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
}

/** Offers `rate` values a second from each client, each at its own phase with some jitter, for `seconds`. */
function offer(budget: number, rates: number[], seconds: number, from = 1000) {
  const random = lcg(42);
  const room = new AudienceAdmission(budget, 0);
  const shares = rates.map(() => room.newShare(0));
  const admitted = rates.map(() => 0);
  const offered = rates.map(() => 0);
  const events: { at: number; client: number }[] = [];
  rates.forEach((rate, client) => {
    const phase = random();
    for (let k = 0; k < rate * seconds; k++)
      events.push({ at: (k + phase + (random() - 0.5) * 0.2) * (1000 / rate), client });
  });
  events.sort((a, b) => a.at - b.at);
  for (const { at, client } of events) {
    // the first seconds are the room learning who is there: count from `from` on
    if (at >= from) offered[client]! += 1;
    if (room.admit(shares[client]!, at) && at >= from) admitted[client]! += 1;
  }
  return { admitted, offered, counts: room.counts(), measured: (events.at(-1)!.at - from) / 1000 };
}

describe('fair share (water-filling)', () => {
  it.each([
    { budget: 100, demands: [10, 10, 10], share: Infinity },
    { budget: 100, demands: [50, 50, 50, 50], share: 25 },
    { budget: 100, demands: [5, 5, 200], share: 90 },
    { budget: 10, demands: [1, 1, 1, 1, 20, 20], share: 3 },
    { budget: 1000, demands: [], share: Infinity },
  ])('budget $budget among $demands: $share each above it', ({ budget, demands, share }) => {
    expect(fairShare(budget, demands)).toBe(share);
  });
});

describe('audience admission', () => {
  it('lets every value through while the room is under its budget', () => {
    const { admitted, offered, counts } = offer(1000, Array<number>(50).fill(5), 4);
    expect(admitted).toEqual(offered);
    expect(counts.shed).toBe(0);
    expect(counts.fairShare).toBeNull();
  });

  it('holds a crowd over budget to the budget, shared equally, and counts what it shed', () => {
    // 500 clients × 5/s = 2,500/s offered to a budget of 300/s: the shares are 90 % of it, 0.54/s each
    const { admitted, counts, measured } = offer(300, Array<number>(500).fill(5), 10, 3000);
    const total = admitted.reduce((a, b) => a + b, 0);
    expect(total / measured).toBeGreaterThan(300 * 0.85);
    expect(total / measured).toBeLessThanOrEqual(300 * 1.01);
    expect(Math.max(...admitted) / measured / 0.54).toBeLessThanOrEqual(2);
    expect(Math.min(...admitted)).toBeGreaterThan(0);
    expect(counts.fairShare).toBe(0.54);
    expect(counts.activeClients).toBe(500);
    expect(counts.shed).toBe(counts.offered - counts.admitted);
    expect(counts.shedPercent).toBeGreaterThan(80);
  });

  it('gives a polite client all it asks for while a greedy one takes only what is left', () => {
    // budget 100, 90 of it shared: 40 polite clients at 2/s want 80; the greedy one at 20/s gets the other 10
    const { admitted, offered, measured } = offer(100, [...Array<number>(40).fill(2), 20], 8, 2000);
    expect(admitted.slice(0, 40)).toEqual(offered.slice(0, 40));
    expect(admitted[40]! / measured).toBeLessThanOrEqual(11);
    expect(admitted[40]! / measured).toBeGreaterThan(8);
  });

  it('starts a quiet room again without limits', () => {
    const room = new AudienceAdmission(10, 0);
    const shares = Array.from({ length: 20 }, () => room.newShare(0));
    for (let ms = 0; ms < 3000; ms += 10) room.admit(shares[(ms / 10) % 20]!, ms);
    expect(room.counts().fairShare).not.toBeNull();
    // ten quiet seconds later: whatever came before says nothing about who is there now
    expect(room.admit(shares[0]!, 13_000)).toBe(true);
    expect(room.counts().fairShare).toBeNull();
  });
});
