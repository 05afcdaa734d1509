import { type Observable, scan, shareReplay, startWith } from 'rxjs';
import { emptyRoom, reduceRoom, type Lane, type RoomEvent, type RoomState } from '../state/room.js';
import { activityAfterNote, presence, type Activity } from './activity.js';

/** A note as the wash remembers it: whose, in what colour, how hard, when. */
export interface Hit {
  instrument: number;
  colour: string;
  velocity: number;
  at: number;
}

/** The wash forgets notes older than this, and keeps at most WASH_MAX_HITS of them. */
export const WASH_MEMORY_MS = 6_000;
export const WASH_MAX_HITS = 48;

export interface StageState {
  room: RoomState;
  /** Per instrument number: when it started playing and its latest note. */
  activity: Readonly<Record<number, Activity>>;
  /** The latest notes, oldest first, for the colour wash. */
  hits: readonly Hit[];
}

export const emptyStage: StageState = { room: emptyRoom, activity: {}, hits: [] };

/** The stage after one room event: the page's own room reducer, plus who is playing and the wash's notes. */
export function reduceStage(state: StageState, event: RoomEvent): StageState {
  const room = reduceRoom(state.room, event);
  if (event.kind !== 'note') return room === state.room ? state : { ...state, room };
  const { instrument, velocity } = event.note;
  const colour = room.lanes.find((l) => l.instrument === instrument)?.colour ?? '#9aa5b1';
  const hits = [
    ...state.hits.filter((h) => event.at - h.at < WASH_MEMORY_MS),
    { instrument, colour, velocity, at: event.at },
  ];
  return {
    room,
    activity: { ...state.activity, [instrument]: activityAfterNote(state.activity[instrument], event.at) },
    hits: hits.slice(-WASH_MAX_HITS),
  };
}

/** Room events → the stage after each, starting empty, shared by the views. */
export const stageState = (events$: Observable<RoomEvent>): Observable<StageState> =>
  events$.pipe(scan(reduceStage, emptyStage), startWith(emptyStage), shareReplay({ bufferSize: 1, refCount: true }));

export interface StageLane {
  lane: Lane;
  /** 0–1: how far it has grown in or faded out (see presence). */
  presence: number;
}

/** The lanes on stage at page time `now`: only instruments playing now or fading, in instrument order. */
export function lanesOnStage(state: StageState, now: number, reducedMotion = false): StageLane[] {
  const onStage: StageLane[] = [];
  for (const lane of state.room.lanes) {
    const p = presence(state.activity[lane.instrument], now, reducedMotion);
    if (p > 0) onStage.push({ lane, presence: p });
  }
  return onStage;
}
