import { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { reannouncements, saysOnline } from '../../shared/runtime/reannounce-status.js';

let scheduler: TestScheduler;
beforeEach(() => {
  scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
});

const status = (state: string, pid = 42) =>
  JSON.stringify({ service: 'mapper', state, pid, startedAt: 1_764_000_000_000 });
// t: the status says online; f: it says anything else.
const seen = { t: true, f: false };

describe('re-announcing a service status', () => {
  it('reads only a valid online status as online; offline, cleared or garbled ones are not', () => {
    expect(saysOnline(status('online'))).toBe(true);
    expect(saysOnline(status('offline'))).toBe(false);
    expect(saysOnline(status('offline', 7))).toBe(false);
    expect(saysOnline('')).toBe(false);
    expect(saysOnline('{"service":"mapper","state":"online"}')).toBe(false);
    expect(saysOnline('not json')).toBe(false);
  });

  it('answers a stale offline at once', () => {
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(reannouncements(1_000, scheduler)(cold('t 99ms f', seen))).toBe('100ms a', { a: undefined });
    });
  });

  it('never answers an online status, its own echo included: two live copies cannot set each other off', () => {
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(reannouncements(1_000, scheduler)(cold('t 10ms t 10ms t 3s t|', seen))).toBe('3024ms |');
    });
  });

  it('answers a burst of offlines once now and once a second later, not once each', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const in$ = cold('f 99ms f 99ms f 99ms f', seen);
      expectObservable(reannouncements(1_000, scheduler)(in$)).toBe('a 999ms a', { a: undefined });
    });
  });

  it('skips the later answer when the status said online again meanwhile (the first answer worked)', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const in$ = cold('f 99ms f 99ms t', seen);
      expectObservable(reannouncements(1_000, scheduler)(in$)).toBe('a', { a: undefined });
    });
  });

  it('answers an offline that comes after a quiet second at once again', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const in$ = cold('f t 2s f t', seen);
      expectObservable(reannouncements(1_000, scheduler)(in$)).toBe('a 2001ms a', { a: undefined });
    });
  });
});
