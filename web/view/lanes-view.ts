import { PAD_HIGH, PAD_LOW } from '../state/keyboard.js';
import { laneFlash } from '../state/lane-colours.js';
import { drumShortName } from '../../shared/contract/drum-names.js';
import { rollBars } from '../state/piano-roll.js';
import type { Lane } from '../state/room.js';
import { el, setText } from './dom.js';

interface LaneNodes {
  row: HTMLLIElement;
  name: HTMLSpanElement;
  note: HTMLElement;
  meter: HTMLDivElement;
  bar: HTMLDivElement;
  valueText: HTMLSpanElement;
  roll: HTMLCanvasElement;
  mute: HTMLButtonElement;
  played: number;
  lane: Lane;
  /** The lane as last written to the DOM. */
  rendered?: Lane;
  drawnEmpty: boolean;
}

/**
 * The lanes: one row per instrument, re-rendered from state; piano rolls drawn per frame. No lane
 * is a live region (sixteen of them would read out every note): the page has one polite summary.
 */
export class LanesView {
  private readonly rows = new Map<number, LaneNodes>();

  constructor(
    private readonly list: HTMLOListElement,
    private readonly onMute: (instrument: number, muted: boolean) => void,
  ) {}

  render(lanes: readonly Lane[]): void {
    const seen = new Set<number>();
    lanes.forEach((lane, index) => {
      seen.add(lane.instrument);
      const nodes = this.rows.get(lane.instrument) ?? this.create(lane);
      if (this.list.children[index] !== nodes.row) this.list.insertBefore(nodes.row, this.list.children[index] ?? null);
      this.update(nodes, lane);
    });
    for (const [instrument, nodes] of this.rows) {
      if (!seen.has(instrument)) {
        nodes.row.remove();
        this.rows.delete(instrument);
      }
    }
  }

  /** Draws every lane's piano roll at page time `now`. */
  draw(now: number): void {
    for (const nodes of this.rows.values()) {
      const canvas = nodes.roll;
      const ratio = window.devicePixelRatio || 1;
      const width = Math.round(canvas.clientWidth * ratio);
      const height = Math.round(canvas.clientHeight * ratio);
      if (width === 0 || height === 0) continue;
      const resized = canvas.width !== width || canvas.height !== height;
      if (resized) {
        canvas.width = width;
        canvas.height = height;
      }
      const bars = rollBars(nodes.lane.recent, now, { width, height, low: PAD_LOW, high: PAD_HIGH });
      if (bars.length === 0 && nodes.drawnEmpty && !resized) continue;
      const g = canvas.getContext('2d');
      if (!g) continue;
      g.clearRect(0, 0, width, height);
      g.fillStyle = nodes.lane.colour;
      for (const b of bars) {
        g.globalAlpha = b.alpha;
        g.fillRect(b.x, b.y, b.w, b.h);
      }
      g.globalAlpha = 1;
      nodes.drawnEmpty = bars.length === 0;
    }
  }

  private create(lane: Lane): LaneNodes {
    const name = el('span', { class: 'lane-name' });
    const note = el('span', { class: 'lane-note' });
    const bar = el('div', { class: 'bar' });
    const valueText = el('span', { class: 'value-text' });
    const meter = el(
      'div',
      {
        class: 'lane-value',
        role: 'meter',
        'aria-label': `${lane.name}: latest value`,
        'aria-valuemin': String(PAD_LOW),
        'aria-valuemax': String(PAD_HIGH),
        'aria-valuenow': String(PAD_LOW),
        'aria-valuetext': 'nothing yet',
      },
      bar,
      valueText,
    );
    const roll = el('canvas', { class: 'lane-roll', 'aria-hidden': 'true' });
    const mute = el('button', { class: 'lane-mute', type: 'button', 'aria-pressed': 'false' }, 'Mute');
    const row = el('li', { class: 'lane' }, el('span', { class: 'swatch' }), name, note, meter, roll, mute);
    mute.addEventListener('click', () => {
      const muted = mute.getAttribute('aria-pressed') !== 'true';
      mute.setAttribute('aria-pressed', String(muted));
      this.onMute(Number(row.dataset.instrument), muted);
    });
    const nodes: LaneNodes = {
      row,
      name,
      note,
      meter,
      bar,
      valueText,
      roll,
      mute,
      played: lane.played,
      lane,
      drawnEmpty: false,
    };
    this.rows.set(lane.instrument, nodes);
    return nodes;
  }

  private update(nodes: LaneNodes, lane: Lane): void {
    // A note changes one lane; the state keeps the others as they were (the same objects).
    if (nodes.rendered === lane) return;
    nodes.rendered = lane;
    nodes.lane = lane;
    nodes.row.dataset.instrument = String(lane.instrument);
    nodes.row.style.setProperty('--lane-colour', lane.colour);
    nodes.row.style.setProperty('--lane-flash', laneFlash(lane.colour));
    if (nodes.name.dataset.shows !== `${lane.instrument} ${lane.name}`) {
      nodes.name.dataset.shows = `${lane.instrument} ${lane.name}`;
      nodes.name.replaceChildren(el('span', { class: 'number' }, String(lane.instrument)), lane.name);
      nodes.mute.setAttribute('aria-label', `Mute ${lane.name}`);
      nodes.meter.setAttribute('aria-label', `${lane.name}: latest value`);
    }
    // A drum lane names the drum ("Snare"), not the key's pitch name.
    const played = lane.note === undefined ? '–' : lane.drums ? drumShortName(lane.note) : (lane.noteName ?? '–');
    setText(nodes.note, played);
    nodes.note.title = played;
    setText(nodes.valueText, lane.value === undefined ? '' : String(lane.value));
    if (lane.value !== undefined) {
      nodes.meter.setAttribute('aria-valuenow', String(lane.value));
      nodes.meter.setAttribute('aria-valuetext', `${lane.value}, ${played}`);
      const share = (Math.min(PAD_HIGH, Math.max(PAD_LOW, lane.value)) - PAD_LOW) / (PAD_HIGH - PAD_LOW);
      nodes.bar.style.width = `${(share * 100).toFixed(1)}%`;
    }
    if (lane.played !== nodes.played) {
      nodes.played = lane.played;
      nodes.row.dataset.played = String(lane.played);
      nodes.row.classList.remove('flash');
      void nodes.row.offsetWidth; // restart the animation
      nodes.row.classList.add('flash');
    }
  }
}
