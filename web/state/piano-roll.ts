import { ROLL_WINDOW_MS, type RollNote } from './room.js';

export interface RollArea {
  width: number;
  height: number;
  /** Lowest and highest note drawn; notes outside sit on the edge. */
  low: number;
  high: number;
  windowMs?: number;
}

export interface RollBar {
  x: number;
  y: number;
  w: number;
  h: number;
  /** 1 for a note just arrived, falling to 0.25 as it scrolls away. */
  alpha: number;
  name: string;
}

/**
 * Where each recent note sits on a lane's scrolling piano roll at page time `now`: time runs
 * right to left (a note arrives at the right edge), pitch bottom to top.
 */
export function rollBars(notes: readonly RollNote[], now: number, area: RollArea): RollBar[] {
  const windowMs = area.windowMs ?? ROLL_WINDOW_MS;
  const rows = Math.max(1, area.high - area.low + 1);
  // Lanes are short: a bar is at least a sixth of the lane high so a note reads as a note.
  const h = Math.max(2, area.height / rows, area.height / 6);
  const bars: RollBar[] = [];
  for (const n of notes) {
    const age = now - n.at;
    if (age < 0 || age >= windowMs) continue;
    const x = area.width * (1 - age / windowMs);
    const w = Math.max(3, (n.durationMs / windowMs) * area.width);
    const row = Math.min(area.high, Math.max(area.low, n.note)) - area.low;
    const y = (area.height - h) * (1 - row / Math.max(1, rows - 1));
    bars.push({ x, y, w, h, alpha: 1 - 0.75 * (age / windowMs), name: n.name });
  }
  return bars;
}
