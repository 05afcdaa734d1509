import { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Status } from '../../shared/contract/contract.js';
import { describeConnection, type ConnectionState } from '../../web/state/backoff.js';
import { countdownSteps, tickingConnection } from '../../web/state/countdown.js';
import {
  linkEvents,
  reduceHealth,
  shownStatuses,
  type HealthByService,
  type LinkEvent,
} from '../../web/state/health.js';
import type { RoomEvent } from '../../web/state/room.js';

let scheduler: TestScheduler;
beforeEach(() => {
  scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
});

const status = (service: string, state: Status['state']): RoomEvent => ({
  kind: 'status',
  status: { service, state, pid: 1, startedAt: 1 },
});
const stats = (service: string): RoomEvent => ({ kind: 'stats', stats: { service, at: 1 } });
const link = (up: boolean): LinkEvent => ({ kind: 'link', up });
const after = (...events: (RoomEvent | LinkEvent)[]): HealthByService => events.reduce(reduceHealth, {});

const url = 'ws://h:9001';
const reconnecting = (inMs: number): ConnectionState => ({ state: 'reconnecting', url, attempt: 3, inMs });

describe('service health on the page', () => {
  it('shows what each status says, and a service known only by its stats as unknown', () => {
    expect(after(link(true), status('mapper', 'online'), status('synth', 'offline'), stats('broker'))).toEqual({
      mapper: 'online',
      synth: 'offline',
      broker: 'unknown',
    });
    expect(after(status('mapper', 'online'), stats('mapper'))).toEqual({ mapper: 'online' });
  });

  it('turns every service unknown when the page loses the broker: no will reaches it, old statuses lie', () => {
    const before = after(
      link(true),
      status('mapper', 'online'),
      status('synth', 'online'),
      status('sensor', 'offline'),
    );
    expect(reduceHealth(before, link(false))).toEqual({ mapper: 'unknown', synth: 'unknown', sensor: 'unknown' });
  });

  it('stays unknown after the link is back until each status arrives again', () => {
    const back = after(link(true), status('mapper', 'online'), status('synth', 'online'), link(false), link(true));
    expect(back).toEqual({ mapper: 'unknown', synth: 'unknown' });
    expect(reduceHealth(back, status('mapper', 'online'))).toEqual({ mapper: 'online', synth: 'unknown' });
  });

  it('ignores notes and the rest: they say nothing about health', () => {
    const health = after(status('mapper', 'online'));
    expect(
      reduceHealth(health, {
        kind: 'rejection',
        rejection: { service: 'mapper', topic: 't', payload: '', reason: 'r', at: 1 },
      }),
    ).toBe(health);
  });

  it('gives the services panel a state for each, unknown included', () => {
    expect(shownStatuses({ mapper: 'online', synth: 'unknown' })).toEqual({
      mapper: { state: 'online' },
      synth: { state: 'unknown' },
    });
  });

  it('makes one link event per change between connected and not', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const states: Record<string, ConnectionState> = {
        l: { state: 'loading' },
        c: { state: 'connecting', url },
        u: { state: 'connected', url },
        r: reconnecting(500),
      };
      expectObservable(linkEvents(cold('l c u r c r c u', states))).toBe('d - u d - - - u', {
        d: link(false),
        u: link(true),
      });
    });
  });
});

describe('the reconnect countdown', () => {
  it('shows the whole wait, then each whole second left', () => {
    expect(countdownSteps(4_600)).toEqual([
      { afterMs: 0, leftMs: 4_600 },
      { afterMs: 600, leftMs: 4_000 },
      { afterMs: 1_600, leftMs: 3_000 },
      { afterMs: 2_600, leftMs: 2_000 },
      { afterMs: 3_600, leftMs: 1_000 },
    ]);
    expect(countdownSteps(2_000)).toEqual([
      { afterMs: 0, leftMs: 2_000 },
      { afterMs: 1_000, leftMs: 1_000 },
    ]);
    expect(countdownSteps(500)).toEqual([{ afterMs: 0, leftMs: 500 }]);
  });

  it('ticks the status line each second while waiting to reconnect: "retry 3 in 3.0 s", "2.0 s", …', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const in$ = cold('r', { r: reconnecting(3_000) });
      const text$ = tickingConnection(scheduler)(in$);
      const lines = { a: reconnecting(3_000), b: reconnecting(2_000), c: reconnecting(1_000) };
      expectObservable(text$).toBe('a 999ms b 999ms c', lines);
    });
    expect(describeConnection(reconnecting(2_000))).toBe('Disconnected: retry 3 in 2.0 s');
  });

  it('stops counting down as soon as the page connects (or tries to)', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const in$ = cold<ConnectionState>('r 1499ms c', { r: reconnecting(4_000), c: { state: 'connecting', url } });
      expectObservable(tickingConnection(scheduler)(in$)).toBe('a 999ms b 499ms c', {
        a: reconnecting(4_000),
        b: reconnecting(3_000),
        c: { state: 'connecting', url },
      });
    });
  });
});
