import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { InstrumentTable, Rejection } from '../../shared/contract/contract.js';
import { makeTopics } from '../../shared/contract/topics.js';
import { defaultInstruments, tableOf } from '../../services/mapper/instruments.js';
import {
  emptyRoom,
  reduceRoom,
  sameLineUp,
  ROLL_MAX_NOTES,
  ROLL_WINDOW_MS,
  type RoomEvent,
  type RoomState,
} from '../../web/state/room.js';
import { roomEvents, roomState, type PageMessage } from '../../web/state/room-state.js';
import { noteEvent } from '../helpers/messages.js';

const table: InstrumentTable = tableOf(defaultInstruments.slice(0, 3));
const withConfig = reduceRoom(emptyRoom, { kind: 'config', table });
const note = (instrument: number, value: number, at: number): RoomEvent => ({
  kind: 'note',
  note: noteEvent({ instrument, value, note: value, name: `n${value}`, channel: instrument }),
  at,
});
const rejection = (payload: string): Rejection => ({
  service: 'mapper',
  topic: 'openwest/instruments/1',
  payload,
  reason: 'not a number',
  at: 1,
});
const lane = (state: RoomState, n: number) => state.lanes.find((l) => l.instrument === n);

describe('room state', () => {
  it('makes one lane per configured instrument, in order, with name and colour', () => {
    expect(withConfig.lanes.map((l) => [l.instrument, l.name, l.colour])).toEqual([
      [1, 'Piano', '#f5c542'],
      [2, 'Bass', '#4287f5'],
      [3, 'Warm pad', '#9b59b6'],
    ]);
    expect(lane(withConfig, 1)).toMatchObject({ recent: [], played: 0, drums: false });
    expect(lane(reduceRoom(emptyRoom, { kind: 'config', table: tableOf(defaultInstruments) }), 10)?.drums).toBe(true);
  });

  it('shows the latest note name and value in its lane and tints to that lane colour', () => {
    const state = reduceRoom(reduceRoom(withConfig, note(2, 43, 100)), note(2, 45, 200));
    expect(lane(state, 2)).toMatchObject({ value: 45, note: 45, noteName: 'n45' });
    expect(lane(state, 2)?.recent.map((n) => n.note)).toEqual([43, 45]);
    expect(state.tint).toBe('#4287f5');
    expect(lane(state, 1)?.noteName).toBeUndefined();
  });

  it('a note changes its own lane only (the others stay the same objects), and not the line-up', () => {
    const after = reduceRoom(withConfig, note(2, 43, 100));
    expect(after.lanes[0]).toBe(withConfig.lanes[0]);
    expect(after.lanes[2]).toBe(withConfig.lanes[2]);
    expect(after.lanes[1]).not.toBe(withConfig.lanes[1]);
    expect(sameLineUp(withConfig.lanes, after.lanes)).toBe(true);
    const renamed = tableOf(
      defaultInstruments.slice(0, 3).map((i) => (i.instrument === 2 ? { ...i, name: 'Fretless' } : i)),
    );
    expect(sameLineUp(after.lanes, reduceRoom(after, { kind: 'config', table: renamed }).lanes)).toBe(false);
    expect(sameLineUp(after.lanes, after.lanes.slice(0, 2))).toBe(false);
  });

  it('keeps a lane’s notes when the instrument table is published again', () => {
    const played = reduceRoom(withConfig, note(1, 62, 100));
    const renamed = tableOf([{ ...defaultInstruments[0]!, name: 'Grand' }, defaultInstruments[1]!]);
    const state = reduceRoom(played, { kind: 'config', table: renamed });
    expect(state.lanes.map((l) => l.name)).toEqual(['Grand', 'Bass']);
    expect(lane(state, 1)).toMatchObject({ noteName: 'n62', value: 62 });
  });

  it('gives a note for an instrument missing from the table a lane of its own', () => {
    const state = reduceRoom(withConfig, note(7, 70, 100));
    expect(state.lanes.map((l) => l.instrument)).toEqual([1, 2, 3, 7]);
    expect(lane(state, 7)).toMatchObject({ name: 'Instrument 7', noteName: 'n70' });
  });

  it('drops notes older than the roll window and keeps at most ROLL_MAX_NOTES', () => {
    let state = reduceRoom(withConfig, note(1, 60, 0));
    state = reduceRoom(state, note(1, 61, ROLL_WINDOW_MS + 1));
    expect(lane(state, 1)?.recent.map((n) => n.note)).toEqual([61]);
    for (let i = 0; i < ROLL_MAX_NOTES + 10; i++)
      state = reduceRoom(state, note(1, 40 + (i % 40), ROLL_WINDOW_MS + 2 + i));
    expect(lane(state, 1)?.recent).toHaveLength(ROLL_MAX_NOTES);
  });

  it('counts played events per lane so the view can flash each one', () => {
    const played = {
      kind: 'played',
      played: { ...noteEvent({ instrument: 3 }), playedAt: 2, output: 'none' },
      at: 5,
    } as const;
    const state = reduceRoom(reduceRoom(withConfig, played), played);
    expect(lane(state, 3)?.played).toBe(2);
    expect(lane(state, 1)?.played).toBe(0);
  });

  it('tracks each service’s status and stats by name', () => {
    let state = reduceRoom(emptyRoom, {
      kind: 'status',
      status: { service: 'mapper', state: 'online', pid: 1, startedAt: 1 },
    });
    state = reduceRoom(state, {
      kind: 'status',
      status: { service: 'mapper', state: 'offline', pid: 1, startedAt: 1 },
    });
    state = reduceRoom(state, { kind: 'stats', stats: { service: 'synth', at: 3, played: 4 } });
    expect(state.services.mapper?.state).toBe('offline');
    expect(state.stats.synth).toMatchObject({ played: 4 });
  });

  it('lists the five latest rejections, newest first', () => {
    let state = emptyRoom;
    for (const p of ['a', 'b', 'c', 'd', 'e', 'f'])
      state = reduceRoom(state, { kind: 'rejection', rejection: rejection(p) });
    expect(state.rejections.map((r) => r.payload)).toEqual(['f', 'e', 'd', 'c', 'b']);
  });
});

describe('room state as a stream', () => {
  const topics = makeTopics('openwest');
  const msg = (topic: string, body: unknown, at = 0): PageMessage => ({
    topic,
    text: typeof body === 'string' ? body : JSON.stringify(body),
    at,
  });

  it('turns messages into states, ignoring anything that breaks the contract', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ cold, expectObservable }) => {
      const messages$ = cold('a 9ms b 9ms c 9ms d', {
        a: msg('openwest/config/instruments', table),
        b: msg('openwest/notes/1', noteEvent({ value: 62, note: 62, name: 'D4' }), 7),
        c: msg('openwest/notes/1', '{not json'),
        d: msg('openwest/errors', rejection('abc')),
      });
      const roomState$ = roomState(roomEvents(topics)(messages$));
      // The bad note at 20ms changes nothing, so no state is emitted for it.
      expectObservable(roomState$).toBe('(za) 6ms b 19ms d', {
        z: emptyRoom,
        a: withConfig,
        b: expect.objectContaining<{ tint: string; lanes: unknown }>({
          tint: '#f5c542',
          lanes: expect.arrayContaining([expect.objectContaining({ instrument: 1, noteName: 'D4', value: 62 })]),
        }),
        d: expect.objectContaining({ rejections: [rejection('abc')] }),
      } satisfies Record<string, unknown>);
    });
  });
});
