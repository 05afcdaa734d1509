import type { Lane } from '../state/room.js';
import { GUTTER_PX, pitchRange, rollGrid, stageBars, type StageRollArea } from './roll-grid.js';

// See-through enough for the light to tint the roll; the pitch names sit on the solid gutter.
const ROLL_BACKGROUND = 'rgba(7, 9, 13, 0.64)';
const GUTTER_BACKGROUND = '#0b0e14';
const LABEL_COLOUR = '#c9d1dc';

/**
 * Draws one lane's stage roll on its canvas at page time `now`: the semitone grid with the Cs
 * named, a line per second, and the notes in the lane's colour, a new one glowing. `width` and
 * `height` are CSS pixels; the canvas holds `dpr` device pixels per CSS pixel.
 */
export function paintRoll(
  ctx: CanvasRenderingContext2D,
  lane: Lane,
  now: number,
  size: { width: number; height: number; dpr: number },
): void {
  const { width, height, dpr } = size;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, width, height);
  // A short lane (a crowded stage) spans one octave, so its rows stay thick enough to read.
  const area: StageRollArea = { width, height, ...pitchRange(lane.recent, height < 120 ? 12 : 24) };
  const { rows, lines } = rollGrid(area);
  const gutter = GUTTER_PX;

  ctx.fillStyle = ROLL_BACKGROUND;
  ctx.fillRect(gutter, 0, width - gutter, height);
  ctx.fillStyle = GUTTER_BACKGROUND;
  ctx.fillRect(0, 0, gutter, height);

  const rowH = rows[0]?.h ?? height;
  for (const row of rows) {
    if (row.black) {
      ctx.fillStyle = 'rgba(255, 255, 255, 0.04)';
      ctx.fillRect(gutter, row.y, width - gutter, row.h);
    }
    // A C's row has a firm line under it: the octave boundary.
    if (row.label) {
      ctx.fillStyle = 'rgba(255, 255, 255, 0.22)';
      ctx.fillRect(gutter, row.y + row.h - 1, width - gutter, 1);
    }
  }
  const labelPx = Math.max(11, Math.min(18, rowH * 2.2));
  ctx.font = `600 ${labelPx}px 'DejaVu Sans', system-ui, sans-serif`;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  ctx.fillStyle = LABEL_COLOUR;
  // Top to bottom, each name only where the one above leaves room, none cut at an edge.
  let free = 0;
  for (const row of rows) {
    if (!row.label) continue;
    const y = Math.min(height - labelPx / 2, Math.max(labelPx / 2, row.y + row.h / 2));
    if (y - labelPx / 2 < free) continue;
    ctx.fillText(row.label, gutter - 8, y);
    free = y + labelPx / 2 + 2;
  }

  for (const line of lines) {
    if (line.agoMs === 0) continue;
    ctx.fillStyle = line.major ? 'rgba(255, 255, 255, 0.16)' : 'rgba(255, 255, 255, 0.07)';
    ctx.fillRect(Math.round(line.x), 0, 1, height);
  }
  // Now: the right edge, where every note starts.
  ctx.globalAlpha = 0.6;
  ctx.fillStyle = lane.colour;
  ctx.fillRect(width - 2, 0, 2, height);
  ctx.globalAlpha = 1;

  ctx.fillStyle = lane.colour;
  ctx.shadowColor = lane.colour;
  const gap = rowH > 6 ? 1 : 0;
  for (const bar of stageBars(lane.recent, now, area)) {
    ctx.globalAlpha = bar.alpha;
    ctx.shadowBlur = 22 * bar.glow;
    ctx.beginPath();
    ctx.roundRect(bar.x, bar.y + gap, bar.w, Math.max(2, bar.h - 2 * gap), Math.min(5, bar.h / 2));
    ctx.fill();
  }
  ctx.globalAlpha = 1;
  ctx.shadowBlur = 0;
}
