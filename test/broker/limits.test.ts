import { describe, expect, it } from 'vitest';
import { ConnectRate } from '../../services/broker/connect-rate.js';
import { FlappingGuard } from '../../services/broker/flapping.js';
import { PublishRate } from '../../services/broker/publish-rate.js';
import { TokenBucket } from '../../services/broker/token-bucket.js';

describe('token bucket', () => {
  it('lets a burst through, then only the rate', () => {
    const bucket = new TokenBucket(20, 40, 0);
    const first = Array.from({ length: 50 }, () => bucket.take(0)).filter(Boolean).length;
    expect(first).toBe(40);
    // one second later: 20 more tokens
    const next = Array.from({ length: 50 }, () => bucket.take(1000)).filter(Boolean).length;
    expect(next).toBe(20);
  });

  it('never stores more than the burst however long it was quiet', () => {
    const bucket = new TokenBucket(20, 40, 0);
    const taken = Array.from({ length: 100 }, () => bucket.take(3_600_000)).filter(Boolean).length;
    expect(taken).toBe(40);
  });
});

describe('publish rate', () => {
  const limits = { ratePerSecond: 20, burst: 40, disconnectFactor: 5, disconnectAfterSeconds: 3 };

  it('drops what is over the rate without disconnecting a client a little over it', () => {
    const rate = new PublishRate(limits, 0);
    const verdicts: string[] = [];
    // 30 messages a second for 10 seconds: over the rate, not far over
    for (let s = 0; s < 10; s++) for (let i = 0; i < 30; i++) verdicts.push(rate.check(s * 1000 + i * 33));
    expect(verdicts).not.toContain('disconnect');
    expect(verdicts.filter((v) => v === 'ok').length).toBeLessThanOrEqual(40 + 20 * 10);
    expect(verdicts).toContain('drop');
  });

  it('disconnects a client far over its rate for three seconds in a row', () => {
    const rate = new PublishRate(limits, 0);
    let firstDisconnectAt = -1;
    for (let ms = 0; ms < 10_000 && firstDisconnectAt < 0; ms += 2) {
      if (rate.check(ms) === 'disconnect') firstDisconnectAt = ms;
    }
    // 500 msg/s is 25 times the rate: far over in seconds 0, 1 and 2, so out early in second 3
    expect(firstDisconnectAt).toBeGreaterThanOrEqual(3000);
    expect(firstDisconnectAt).toBeLessThan(3100);
  });

  it('forgives a far-over second followed by a quiet one', () => {
    const rate = new PublishRate(limits, 0);
    const verdicts: string[] = [];
    for (const second of [0, 1, 3, 4, 6, 7]) for (let i = 0; i < 200; i++) verdicts.push(rate.check(second * 1000 + i));
    expect(verdicts).not.toContain('disconnect');
  });
});

describe('flapping guard', () => {
  const limits = { maxConnects: 15, windowMs: 60_000, banMs: 300_000 };

  it('refuses the 16th connect within a minute, and keeps refusing for five minutes', () => {
    const guard = new FlappingGuard(limits);
    const results = Array.from({ length: 16 }, (_, i) => guard.connect(['address 10.0.0.7'], i * 1000));
    expect(results.slice(0, 15).every((r) => r === undefined)).toBe(true);
    expect(results[15]).toMatch(/more than 15 times in 60 s: refused for 300 s/);
    expect(guard.connect(['address 10.0.0.7'], 200_000)).toMatch(/refused for flapping/);
    expect(guard.connect(['address 10.0.0.7'], 15_000 + 300_001)).toBeUndefined();
  });

  it('counts by client id across addresses', () => {
    const guard = new FlappingGuard(limits);
    const results = Array.from({ length: 16 }, (_, i) => guard.connect(['client id phone', `address 10.0.0.${i}`], i));
    expect(results[15]).toMatch(/client id phone/);
    expect(guard.connect(['client id other', 'address 10.0.0.3'], 20)).toBeUndefined();
  });

  it('lets a client that connects 15 times a minute, spread out, stay welcome', () => {
    const guard = new FlappingGuard(limits);
    const results = Array.from({ length: 100 }, (_, i) => guard.connect(['client id steady'], i * 4_001));
    expect(results.every((r) => r === undefined)).toBe(true);
  });

  it('forgets old entries when the table grows', () => {
    const guard = new FlappingGuard(limits, 100);
    for (let i = 0; i < 1000; i++) guard.connect([`client id c${i}`], i * 1000);
    expect((guard as unknown as { connects: Map<string, unknown> }).connects.size).toBeLessThanOrEqual(161);
  });
});

describe('connect rate per address', () => {
  const limits = { perSecond: 10, burst: 30 };

  it('lets a burst of 30 connects through, then 10 a second, refusing only the excess', () => {
    const rate = new ConnectRate(limits);
    const first = Array.from({ length: 40 }, () => rate.admit('127.0.0.9', 0)).filter(Boolean).length;
    expect(first).toBe(30);
    // the next second: 10 more, and the refused ones cost the address nothing later on
    const next = Array.from({ length: 40 }, () => rate.admit('127.0.0.9', 1000)).filter(Boolean).length;
    expect(next).toBe(10);
    // another address is not touched by this one's storm
    expect(rate.admit('127.0.0.10', 1000)).toBe(true);
  });

  it('never refuses a script that connects a few times a second, for as long as it likes', () => {
    const rate = new ConnectRate(limits);
    for (let ms = 0; ms < 10 * 60_000; ms += 200) expect(rate.admit('127.0.0.9', ms)).toBe(true);
  });

  it('forgets addresses whose bucket has filled up again, so memory follows the active ones', () => {
    const rate = new ConnectRate(limits, 100);
    for (let i = 0; i < 1000; i++) rate.admit(`10.0.${i >> 8}.${i & 255}`, 0);
    expect(rate.size).toBe(1000);
    rate.admit('10.9.9.9', 10_000);
    expect(rate.size).toBe(1);
  });
});
