import { drumShortName } from '../../shared/contract/drum-names.js';
import { el, setText } from '../view/dom.js';
import type { Lane } from '../state/room.js';
import { paintRoll } from './roll-painter.js';
import type { StageLane } from './stage-state.js';

/** A lane lower than this part of the screen puts its name and note on one line. */
const SHORT_LANE = 0.11;

interface LaneItem {
  instrument: number;
  item: HTMLLIElement;
  name: HTMLElement;
  note: HTMLElement;
  canvas: HTMLCanvasElement;
  ctx: CanvasRenderingContext2D | null;
  /** The canvas's size in CSS pixels, kept by a ResizeObserver (no layout read per frame). */
  size: { width: number; height: number };
  /** What is on screen, so a frame only writes what changed. */
  shown: { presence: number; name: string; colour: string; note: string; onStage: boolean };
}

/**
 * The stage's lanes: one list item per instrument that has ever played, made once and then
 * only shown, hidden, resized (grow and fade) and painted; no element per note.
 */
export class StageLanesView {
  private readonly items = new Map<number, LaneItem>();
  private readonly resizes = new ResizeObserver((entries) => {
    for (const entry of entries) {
      const found = [...this.items.values()].find((i) => i.canvas === entry.target);
      if (!found) continue;
      const { width, height } = entry.contentRect;
      found.size = { width, height };
      // Font sizes follow the lane's height; written on a resize only, never per frame or per note.
      found.item.style.setProperty('--lane-h', `${Math.round(height)}px`);
      found.item.toggleAttribute('data-short', height < SHORT_LANE * innerHeight);
    }
  });

  constructor(private readonly list: HTMLOListElement) {}

  /** One frame: the lanes on stage now, each grown to its presence and its roll painted. */
  draw(onStage: readonly StageLane[], now: number): void {
    const here = new Set(onStage.map((s) => s.lane.instrument));
    for (const item of this.items.values()) {
      if (!here.has(item.instrument) && item.shown.onStage) {
        item.item.hidden = true;
        item.shown.onStage = false;
      }
    }
    const dpr = devicePixelRatio || 1;
    for (const { lane, presence } of onStage) {
      const item = this.items.get(lane.instrument) ?? this.add(lane);
      this.update(item, lane, presence);
      const { width, height } = item.size;
      if (!item.ctx || width < 1 || height < 1) continue;
      const pixels = { width: Math.round(width * dpr), height: Math.round(height * dpr) };
      if (item.canvas.width !== pixels.width) item.canvas.width = pixels.width;
      if (item.canvas.height !== pixels.height) item.canvas.height = pixels.height;
      paintRoll(item.ctx, lane, now, { width, height, dpr });
    }
  }

  private update(item: LaneItem, lane: Lane, presence: number): void {
    const { shown } = item;
    if (!shown.onStage) {
      item.item.hidden = false;
      shown.onStage = true;
    }
    // Two decimals: enough for a smooth grow, and no style write once a lane has settled.
    const rounded = Math.round(presence * 100) / 100;
    if (rounded !== shown.presence) {
      item.item.style.flexGrow = String(rounded);
      item.item.style.opacity = String(Math.min(1, rounded * 1.5));
      shown.presence = rounded;
    }
    if (lane.name !== shown.name) {
      setText(item.name, lane.name);
      shown.name = lane.name;
    }
    if (lane.colour !== shown.colour) {
      item.item.style.setProperty('--lane-colour', lane.colour);
      shown.colour = lane.colour;
    }
    const note = lane.note === undefined ? '' : lane.drums ? drumShortName(lane.note) : (lane.noteName ?? '');
    if (note !== shown.note) {
      setText(item.note, note);
      shown.note = note;
    }
  }

  private add(lane: Lane): LaneItem {
    const name = el('span', { class: 'lane-name' });
    const note = el('span', { class: 'lane-note' });
    const canvas = el('canvas', { class: 'roll', 'aria-hidden': 'true' });
    const plate = el(
      'div',
      { class: 'lane-plate' },
      el('span', { class: 'lane-number' }, String(lane.instrument)),
      name,
      note,
    );
    const item = el('li', { class: 'stage-lane', 'data-instrument': String(lane.instrument) }, plate, canvas);
    item.hidden = true;
    const laneItem: LaneItem = {
      instrument: lane.instrument,
      item,
      name,
      note,
      canvas,
      ctx: canvas.getContext('2d'),
      size: { width: 0, height: 0 },
      shown: { presence: -1, name: '', colour: '', note: '', onStage: false },
    };
    // In instrument order, whatever order they first played in.
    const after = [...this.items.values()]
      .filter((i) => i.instrument > lane.instrument)
      .sort((a, b) => a.instrument - b.instrument)[0];
    this.list.insertBefore(item, after?.item ?? null);
    this.items.set(lane.instrument, laneItem);
    this.resizes.observe(canvas);
    return laneItem;
  }
}
