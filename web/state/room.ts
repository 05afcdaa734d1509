import type {
  Instrument,
  InstrumentTable,
  NoteEvent,
  PlayedEvent,
  Rejection,
  Stats,
  Status,
} from '../../shared/contract/contract.js';

/** How long a note stays on the piano roll, in milliseconds. */
export const ROLL_WINDOW_MS = 8_000;
/** At most this many recent notes per lane (a flood must not grow memory). */
export const ROLL_MAX_NOTES = 64;
/** How many of the latest rejections the page lists. */
export const REJECTIONS_SHOWN = 5;

export interface RollNote {
  note: number;
  name: string;
  /** Page clock (performance.now()) when it arrived. */
  at: number;
  durationMs: number;
}

export interface Lane {
  instrument: number;
  name: string;
  colour: string;
  channel: number;
  program: number;
  /** General MIDI channel 10: drum sounds, not pitches. */
  drums: boolean;
  value?: number;
  note?: number;
  noteName?: string;
  recent: RollNote[];
  /** Counts `played` events, so the view can flash once per played note. */
  played: number;
}

export interface RoomState {
  lanes: Lane[];
  /** The colour of the last note's lane: the whole page tints to it. */
  tint?: string;
  services: Record<string, Status>;
  stats: Record<string, Stats>;
  rejections: Rejection[];
}

export type RoomEvent =
  | { kind: 'config'; table: InstrumentTable }
  | { kind: 'note'; note: NoteEvent; at: number }
  | { kind: 'played'; played: PlayedEvent; at: number }
  | { kind: 'status'; status: Status }
  | { kind: 'stats'; stats: Stats }
  | { kind: 'rejection'; rejection: Rejection };

export const emptyRoom: RoomState = { lanes: [], services: {}, stats: {}, rejections: [] };

const laneFor = (i: Instrument, previous?: Lane): Lane => ({
  recent: [],
  played: 0,
  ...previous,
  instrument: i.instrument,
  name: i.name,
  colour: i.colour,
  channel: i.channel,
  program: i.program,
  drums: i.channel === 10,
});

/** A lane for a note whose instrument the table does not list (yet). */
const unknownLane = (instrument: number, channel: number, program: number): Lane => ({
  instrument,
  name: `Instrument ${instrument}`,
  colour: '#9aa5b1',
  channel,
  program,
  drums: channel === 10,
  recent: [],
  played: 0,
});

const byInstrument = (a: Lane, b: Lane) => a.instrument - b.instrument;

/**
 * Lanes from the instrument table, in instrument order. Lanes already on screen keep their
 * notes; lanes the table no longer lists go away unless they have played.
 */
/** The same instruments in the same order, named, coloured and voiced alike (notes aside). */
export function sameLineUp(a: readonly Lane[], b: readonly Lane[]): boolean {
  return (
    a.length === b.length &&
    a.every((l, i) => {
      const o = b[i]!;
      return (
        l.instrument === o.instrument &&
        l.name === o.name &&
        l.colour === o.colour &&
        l.channel === o.channel &&
        l.program === o.program
      );
    })
  );
}

export function lanesFromTable(table: InstrumentTable, current: readonly Lane[]): Lane[] {
  const previous = new Map(current.map((l) => [l.instrument, l]));
  const listed = table.instruments.map((i) => laneFor(i, previous.get(i.instrument)));
  const listedNumbers = new Set(listed.map((l) => l.instrument));
  const playedOnly = current.filter((l) => !listedNumbers.has(l.instrument) && l.recent.length > 0);
  return [...listed, ...playedOnly].sort(byInstrument);
}

/** The lane after a note event arrived at page time `at`: value, name, and the roll. */
export function laneWithNote(lane: Lane, note: NoteEvent, at: number): Lane {
  const recent = [
    ...lane.recent.filter((n) => at - n.at < ROLL_WINDOW_MS),
    { note: note.note, name: note.name, at, durationMs: note.durationMs },
  ];
  return {
    ...lane,
    value: note.value,
    note: note.note,
    noteName: note.name,
    recent: recent.slice(-ROLL_MAX_NOTES),
  };
}

function updateLane(
  lanes: readonly Lane[],
  instrument: number,
  create: () => Lane,
  change: (lane: Lane) => Lane,
): Lane[] {
  const index = lanes.findIndex((l) => l.instrument === instrument);
  if (index < 0) return [...lanes, change(create())].sort(byInstrument);
  return lanes.map((l, i) => (i === index ? change(l) : l));
}

/** The whole room after one event: a pure reducer, so it runs the same in tests and on stage. */
export function reduceRoom(state: RoomState, event: RoomEvent): RoomState {
  switch (event.kind) {
    case 'config':
      return { ...state, lanes: lanesFromTable(event.table, state.lanes) };
    case 'note': {
      const { note } = event;
      const lanes = updateLane(
        state.lanes,
        note.instrument,
        () => unknownLane(note.instrument, note.channel, note.program),
        (lane) => laneWithNote(lane, note, event.at),
      );
      return { ...state, lanes, tint: lanes.find((l) => l.instrument === note.instrument)?.colour };
    }
    case 'played': {
      const { played } = event;
      const lanes = updateLane(
        state.lanes,
        played.instrument,
        () => unknownLane(played.instrument, played.channel, played.program),
        (lane) => ({ ...lane, played: lane.played + 1 }),
      );
      return { ...state, lanes };
    }
    case 'status':
      return { ...state, services: { ...state.services, [event.status.service]: event.status } };
    case 'stats':
      return { ...state, stats: { ...state.stats, [event.stats.service]: event.stats } };
    case 'rejection':
      return { ...state, rejections: [event.rejection, ...state.rejections].slice(0, REJECTIONS_SHOWN) };
  }
}
