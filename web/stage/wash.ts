import { SILENT_AFTER_MS } from './activity.js';
import { WASH_MEMORY_MS, type Hit } from './stage-state.js';

/** How fast one note's light dies away (its weight falls to 1/e after this long). */
export const WASH_DECAY_MS = 1_400;
/** The level reduced motion holds while an instrument plays: steady, never a flash. */
export const STEADY_LEVEL = 0.45;

/** A colour as linear-light RGB, 0–1 per channel. */
export interface Rgb {
  r: number;
  g: number;
  b: number;
}

/**
 * One pool of light on the stage: an instrument's colour, glowing behind its lane (`y`, 0 top …
 * 1 bottom of the screen) as bright as its latest notes ask (`level`, 0 dark … 1 full).
 */
export interface Pool {
  instrument: number;
  colour: Rgb;
  level: number;
  y: number;
  /** How tall the pool is, as a fraction of the screen: it follows its lane's height. */
  h: number;
}

/** Where a pool stands: its lane's middle and its height, as fractions of the screen's height. */
export interface Place {
  y: number;
  h: number;
}

/** The whole light: a pool per instrument that played lately, in instrument order. */
export type Wash = readonly Pool[];

export interface PoolTarget {
  colour: Rgb;
  level: number;
}

const toLinear = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
const toSrgb = (c: number) => (c <= 0.0031308 ? c * 12.92 : 1.055 * c ** (1 / 2.4) - 0.055);

/** "#rrggbb" → linear RGB; anything else is a neutral grey. */
export function linearOf(hex: string): Rgb {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return { r: 0.3, g: 0.3, b: 0.3 };
  const [r, g, b] = [m[1], m[2], m[3]].map((h) => toLinear(parseInt(h ?? '0', 16) / 255));
  return { r: r ?? 0, g: g ?? 0, b: b ?? 0 };
}

/** Linear RGB → "#rrggbb". */
export function hexOf(c: Rgb): string {
  const byte = (x: number) =>
    Math.round(255 * toSrgb(Math.min(1, Math.max(0, x))))
      .toString(16)
      .padStart(2, '0');
  return `#${byte(c.r)}${byte(c.g)}${byte(c.b)}`;
}

/**
 * Where each pool wants to be at page time `now`: per instrument, a level that rises with how
 * many notes it played lately, each weighted by its velocity and how recent it is. With reduced
 * motion every note of the last few seconds counts the same and the level is steady, so the
 * light comes and goes slowly and never flashes. Instruments with no recent note are absent.
 */
export function washTargets(hits: readonly Hit[], now: number, reducedMotion = false): Map<number, PoolTarget> {
  const totals = new Map<number, { colour: string; total: number }>();
  for (const hit of hits) {
    const age = now - hit.at;
    if (age < 0 || age >= WASH_MEMORY_MS) continue;
    const weight = reducedMotion
      ? age < SILENT_AFTER_MS
        ? 1
        : 0
      : (0.35 + (0.65 * hit.velocity) / 127) * Math.exp(-age / WASH_DECAY_MS);
    if (weight <= 0) continue;
    const sum = totals.get(hit.instrument);
    // The latest note's colour: a table that recoloured the instrument shows at once.
    totals.set(hit.instrument, { colour: hit.colour, total: (sum?.total ?? 0) + weight });
  }
  const targets = new Map<number, PoolTarget>();
  for (const [instrument, { colour, total }] of totals) {
    if (total <= 1e-4) continue;
    targets.set(instrument, {
      colour: linearOf(colour),
      level: reducedMotion ? STEADY_LEVEL : 1 - Math.exp(-1.2 * total),
    });
  }
  return targets;
}

/**
 * Where the pools stand: the middle of each lane on stage, as a fraction of the screen's height,
 * from the lanes' presences (they share the lanes' area as the layout shares it; a lane is at
 * most about half the screen high).
 */
export function poolPlaces(
  onStage: readonly { lane: { instrument: number }; presence: number }[],
  area = { top: 0.1, bottom: 0.92, maxLane: 0.48 },
): Map<number, Place> {
  const span = area.bottom - area.top;
  const total = Math.max(
    1,
    onStage.reduce((sum, s) => sum + s.presence, 0),
  );
  const places = new Map<number, Place>();
  let y = area.top;
  for (const { lane, presence } of onStage) {
    const h = Math.min(area.maxLane, (presence * span) / total);
    places.set(lane.instrument, { y: y + h / 2, h });
    y += h;
  }
  return places;
}

/**
 * One frame's step of every pool towards its target, `dtMs` after the last: a bulb's quick rise
 * and slow glow down, gliding to where its lane is; with reduced motion, slow in everything. A
 * pool that has gone dark leaves.
 */
export function stepWash(
  current: Wash,
  targets: ReadonlyMap<number, PoolTarget>,
  places: ReadonlyMap<number, Place>,
  dtMs: number,
  reducedMotion = false,
): Wash {
  const k = (tau: number) => 1 - Math.exp(-Math.max(0, dtMs) / tau);
  const instruments = new Set([...current.map((p) => p.instrument), ...targets.keys()]);
  const next: Pool[] = [];
  for (const instrument of [...instruments].sort((a, b) => a - b)) {
    const pool = current.find((p) => p.instrument === instrument);
    const target = targets.get(instrument);
    const place = places.get(instrument);
    const level = pool?.level ?? 0;
    const goal = target?.level ?? 0;
    const levelTau = reducedMotion ? 1_500 : goal > level ? 60 : 700;
    const stepped = level + (goal - level) * k(levelTau);
    if (stepped < 0.004 && goal === 0) continue;
    const from = pool ?? place ?? { y: 0.5, h: 0.3 };
    const glide = k(reducedMotion ? 1_500 : 250);
    next.push({
      instrument,
      colour: target?.colour ?? pool?.colour ?? linearOf(''),
      level: stepped,
      y: place === undefined ? from.y : from.y + (place.y - from.y) * glide,
      h: place === undefined ? from.h : from.h + (place.h - from.h) * glide,
    });
  }
  return next;
}

/** The stage's darkness with no light on it. */
export const STAGE_DARK = '#07090d';

/**
 * The wash as CSS background layers (over the dark stage, blended like light): a soft pool per
 * instrument, centred on the lanes' column at its lane's height, wide enough to reach the edges.
 */
export function washLayers(wash: Wash): string {
  if (wash.length === 0) return 'none';
  // Many pools at once share one budget of light, so a full stage glows instead of going white.
  const share = Math.min(1, 1.6 / wash.reduce((sum, p) => sum + p.level, 0));
  return wash
    .map((pool) => {
      const [r, g, b] = [pool.colour.r, pool.colour.g, pool.colour.b].map((c) => Math.round(255 * toSrgb(c)));
      const alpha = (0.75 * pool.level ** 0.8 * share).toFixed(3);
      const size = `75% ${(100 * Math.min(0.6, Math.max(0.16, 1.3 * pool.h))).toFixed(1)}%`;
      const at = `38% ${(pool.y * 100).toFixed(1)}%`;
      return `radial-gradient(ellipse ${size} at ${at}, rgba(${r}, ${g}, ${b}, ${alpha}) 0%, rgba(${r}, ${g}, ${b}, 0) 100%)`;
    })
    .join(', ');
}
