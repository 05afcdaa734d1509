import { isBlackKey, noteName } from '../../shared/contract/note-names.js';
import { ROLL_WINDOW_MS, type RollNote } from '../state/room.js';

/** Room for the pitch labels at the left of every stage roll, in CSS pixels. */
export const GUTTER_PX = 56;
/** A time line every second; a labelled one every two. */
export const TICK_MS = 1_000;
export const LABEL_EVERY_MS = 2_000;

/**
 * The notes a stage roll shows: whole octaves, C to C, around the notes on it, at least
 * `minSpan` semitones, so the grid only moves when the music leaves it. Nothing yet: C3–C5.
 */
export function pitchRange(notes: readonly RollNote[], minSpan = 24): { low: number; high: number } {
  if (notes.length === 0) return { low: 48, high: 72 };
  const pitches = notes.map((n) => n.note);
  let low = 12 * Math.floor(Math.min(...pitches) / 12);
  let high = 12 * Math.ceil(Math.max(...pitches) / 12);
  if (high === low) high += 12;
  for (let grow = 0; high - low < minSpan; grow++) {
    if (grow % 2 === 0 && high + 12 <= 132) high += 12;
    else if (low >= 12) low -= 12;
    else high += 12;
  }
  return { low, high };
}

export interface StageRollArea {
  width: number;
  height: number;
  low: number;
  high: number;
  windowMs?: number;
  gutter?: number;
}

export interface GridRow {
  note: number;
  y: number;
  h: number;
  black: boolean;
  /** Set on every C: "C4". */
  label?: string;
}

export interface TimeLine {
  x: number;
  /** How long ago this line stands for. */
  agoMs: number;
  major: boolean;
}

export interface StageBar {
  x: number;
  y: number;
  w: number;
  h: number;
  /** 1 just played, fading as it scrolls away. */
  alpha: number;
  /** 1 at the moment it arrives, gone in a few hundred milliseconds: the glow of a new note. */
  glow: number;
  note: number;
}

const plot = (area: StageRollArea) => {
  const gutter = area.gutter ?? GUTTER_PX;
  const windowMs = area.windowMs ?? ROLL_WINDOW_MS;
  const rows = Math.max(1, area.high - area.low + 1);
  return { gutter, windowMs, rows, rowH: area.height / rows, plotW: Math.max(1, area.width - gutter) };
};

/** The roll's grid: one row per semitone (black keys marked, C named) and a line per second. */
export function rollGrid(area: StageRollArea): { rows: GridRow[]; lines: TimeLine[] } {
  const { gutter, windowMs, rowH, plotW } = plot(area);
  const rows: GridRow[] = [];
  for (let note = area.high; note >= area.low; note--) {
    rows.push({
      note,
      y: (area.high - note) * rowH,
      h: rowH,
      black: isBlackKey(note),
      ...(note % 12 === 0 ? { label: noteName(note) } : {}),
    });
  }
  const lines: TimeLine[] = [];
  for (let agoMs = 0; agoMs <= windowMs; agoMs += TICK_MS) {
    lines.push({ x: gutter + plotW * (1 - agoMs / windowMs), agoMs, major: agoMs % LABEL_EVERY_MS === 0 });
  }
  return { rows, lines };
}

/**
 * Where each recent note sits at page time `now`: time runs right to left with now at the right
 * edge, so a note starts there and lengthens while it sounds; one row per semitone, notes outside
 * the range on its edge.
 */
export function stageBars(notes: readonly RollNote[], now: number, area: StageRollArea): StageBar[] {
  const { gutter, windowMs, rowH, plotW } = plot(area);
  const xOf = (agoMs: number) => gutter + plotW * (1 - agoMs / windowMs);
  const bars: StageBar[] = [];
  for (const n of notes) {
    const age = now - n.at;
    if (age < 0 || age >= windowMs) continue;
    const x = xOf(age);
    const end = xOf(Math.max(0, age - n.durationMs));
    const w = Math.max(4, end - x);
    const pitch = Math.min(area.high, Math.max(area.low, n.note));
    bars.push({
      x: Math.min(x, area.width - w),
      y: (area.high - pitch) * rowH,
      w,
      h: rowH,
      alpha: 1 - 0.6 * (age / windowMs),
      glow: Math.exp(-age / 350),
      note: n.note,
    });
  }
  return bars;
}

/** The shared time scale under the lanes: where its labels go (0 left … 1 right) and what they say. */
export function timeLabels(windowMs = ROLL_WINDOW_MS): { at: number; label: string }[] {
  const labels: { at: number; label: string }[] = [];
  for (let agoMs = 0; agoMs < windowMs; agoMs += LABEL_EVERY_MS) {
    labels.push({ at: 1 - agoMs / windowMs, label: agoMs === 0 ? 'now' : `${agoMs / 1000} s ago` });
  }
  return labels;
}
