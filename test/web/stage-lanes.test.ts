import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { defaultInstruments, tableOf } from '../../services/mapper/instruments.js';
import type { RoomEvent } from '../../web/state/room.js';
import { activityAfterNote, FADE_MS, GROW_MS, presence, SILENT_AFTER_MS } from '../../web/stage/activity.js';
import {
  emptyStage,
  lanesOnStage,
  reduceStage,
  stageState,
  WASH_MAX_HITS,
  WASH_MEMORY_MS,
  type StageState,
} from '../../web/stage/stage-state.js';
import { noteEvent } from '../helpers/messages.js';

const config: RoomEvent = { kind: 'config', table: tableOf(defaultInstruments) };
const note = (instrument: number, at: number, velocity = 100): RoomEvent => ({
  kind: 'note',
  note: noteEvent({ instrument, channel: instrument, velocity }),
  at,
});
const play = (events: RoomEvent[], from: StageState = emptyStage) => events.reduce(reduceStage, from);
const onStage = (state: StageState, now: number, reduced = false) =>
  lanesOnStage(state, now, reduced).map((s) => s.lane.instrument);

describe('which lanes are on stage', () => {
  it('shows only the instruments that played, in instrument order, whatever order they started in', () => {
    const state = play([config, note(10, 1_000), note(1, 1_100), note(2, 1_200)]);
    expect(state.room.lanes).toHaveLength(16);
    expect(onStage(state, 2_000)).toEqual([1, 2, 10]);
  });

  it('shows nothing before the first note, though the room knows every instrument', () => {
    expect(onStage(play([config]), 5_000)).toEqual([]);
  });

  it('grows a lane in from nothing, holds it while it plays, and fades it after a few seconds of silence', () => {
    const state = play([config, note(1, 1_000)]);
    const at = (t: number) => lanesOnStage(state, t)[0]?.presence ?? 0;
    expect(at(1_000)).toBe(0);
    expect(at(1_000 + GROW_MS / 2)).toBeGreaterThan(0);
    expect(at(1_000 + GROW_MS / 2)).toBeLessThan(1);
    expect(at(1_000 + GROW_MS)).toBe(1);
    expect(at(1_000 + SILENT_AFTER_MS)).toBe(1);
    const fading = at(1_000 + SILENT_AFTER_MS + FADE_MS / 2);
    expect(fading).toBeGreaterThan(0);
    expect(fading).toBeLessThan(1);
    expect(onStage(state, 1_000 + SILENT_AFTER_MS + FADE_MS)).toEqual([]);
  });

  it('keeps a lane full while notes keep coming, and grows it again when it comes back after going', () => {
    const playing = play([config, note(1, 0), note(1, 3_000), note(1, 6_000)]);
    expect(lanesOnStage(playing, 9_000)[0]?.presence).toBe(1);
    const back = play([note(1, 6_000 + SILENT_AFTER_MS + FADE_MS + 1)], playing);
    expect(back.activity[1]?.since).toBe(6_000 + SILENT_AFTER_MS + FADE_MS + 1);
    expect(activityAfterNote({ since: 0, lastAt: 6_000 }, 7_000)).toEqual({ since: 0, lastAt: 7_000 });
  });

  it('with reduced motion, a lane is there or not: no growing, no fading', () => {
    const state = play([config, note(1, 1_000)]);
    expect(presence(state.activity[1], 1_001, true)).toBe(1);
    expect(presence(state.activity[1], 1_000 + SILENT_AFTER_MS + FADE_MS / 2, true)).toBe(1);
    expect(presence(state.activity[1], 1_000 + SILENT_AFTER_MS + FADE_MS, true)).toBe(0);
  });

  it('puts an instrument the table does not list on stage too, as the page does', () => {
    expect(onStage(play([note(7, 0)]), 1_000)).toEqual([7]);
  });

  it('remembers a bounded number of recent notes for the light, forgetting old ones, with their colours', () => {
    const flood = Array.from({ length: 500 }, (_, i) => note(1 + (i % 2), i));
    const state = play([config, ...flood]);
    expect(state.hits).toHaveLength(WASH_MAX_HITS);
    expect(state.hits.at(-1)).toMatchObject({ instrument: 2, colour: '#4287f5', at: 499 });
    const later = play([note(3, 499 + WASH_MEMORY_MS)], state);
    expect(later.hits.map((h) => h.instrument)).toEqual([3]);
  });

  it('leaves the stage alone for events that change nothing on it', () => {
    const state = play([config]);
    expect(reduceStage(state, { kind: 'config', table: tableOf(defaultInstruments) }).activity).toBe(state.activity);
  });

  it('folds the room events into stage states as a stream, starting empty', () => {
    new TestScheduler((a, b) => expect(a).toEqual(b)).run(({ cold, expectObservable }) => {
      const events = cold('a 9ms b', { a: config, b: note(1, 5) });
      expectObservable(stageState(events)).toBe('(xa) 6ms b', {
        x: emptyStage,
        a: play([config]),
        b: play([config, note(1, 5)]),
      });
    });
  });
});
