import { noteName } from '../../shared/contract/note-names.js';
import { keyboardLayout, padValue } from '../state/keyboard.js';
import type { Lane } from '../state/room.js';
import { el, setText } from './dom.js';

export interface PadElements {
  instrument: HTMLSelectElement;
  keyboard: HTMLDivElement;
  slider: HTMLInputElement;
  sliderValue: HTMLOutputElement;
  sent: HTMLElement;
}

/**
 * The play pad: pick an instrument, tap a key or drag the slider; `play(instrument, value)`
 * publishes and says whether it could.
 */
export class PadView {
  private lanesKey = '';
  private lastSlid: number | undefined;

  constructor(
    private readonly e: PadElements,
    private readonly play: (instrument: number, value: number) => boolean,
  ) {
    const { keys, width } = keyboardLayout();
    const widthRem = 2.6;
    e.keyboard.style.width = `${(width * widthRem).toFixed(2)}rem`;
    for (const key of keys) {
      const button = el(
        'button',
        {
          type: 'button',
          class: `key ${key.black ? 'black' : 'white'}`,
          'data-value': String(key.value),
          'aria-label': `${key.name} (${key.value})`,
          style: `left:${(key.left * widthRem).toFixed(2)}rem`,
        },
        key.black ? '' : key.name,
      );
      button.addEventListener('pointerdown', (event) => {
        event.preventDefault();
        button.classList.add('down');
        this.send(key.value);
      });
      const up = () => button.classList.remove('down');
      button.addEventListener('pointerup', up);
      button.addEventListener('pointerleave', up);
      button.addEventListener('pointercancel', up);
      // Keyboard users: Enter/Space.
      button.addEventListener('keydown', (event) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          this.send(key.value);
        }
      });
      e.keyboard.append(button);
    }
    e.slider.addEventListener('input', () => {
      const value = padValue(Number(e.slider.value));
      setText(e.sliderValue, `${value} ${noteName(value)}`);
      if (value === this.lastSlid) return;
      this.lastSlid = value;
      this.send(value);
    });
    e.instrument.addEventListener('change', () => this.colourKeys());
  }

  /** Scrolls the keyboard so middle C is in view (after layout). */
  centre(): void {
    const c4 = this.e.keyboard.querySelector<HTMLElement>('[data-value="60"]');
    const scroller = this.e.keyboard.parentElement;
    if (c4 && scroller) scroller.scrollLeft = c4.offsetLeft - scroller.clientWidth / 2 + c4.offsetWidth;
  }

  /** Keeps the instrument picker in step with the lanes (keeps the choice). */
  setLanes(lanes: readonly Lane[]): void {
    const key = lanes.map((l) => `${l.instrument}:${l.name}`).join('|');
    if (key === this.lanesKey) return;
    this.lanesKey = key;
    const chosen = this.e.instrument.value || '1';
    this.e.instrument.replaceChildren(
      ...lanes.map((l) =>
        el('option', { value: String(l.instrument), 'data-colour': l.colour }, `${l.instrument} ${l.name}`),
      ),
    );
    this.e.instrument.value = lanes.some((l) => String(l.instrument) === chosen)
      ? chosen
      : String(lanes[0]?.instrument ?? 1);
    this.colourKeys();
  }

  private colourKeys(): void {
    const colour = this.e.instrument.selectedOptions[0]?.dataset.colour;
    if (colour) this.e.keyboard.style.setProperty('--pad-colour', colour);
  }

  private send(value: number): void {
    const instrument = Number(this.e.instrument.value || '1');
    const ok = this.play(instrument, value);
    setText(
      this.e.sent,
      ok ? `sent ${value} (${noteName(value)}) to instrument ${instrument}` : 'not connected: nothing sent',
    );
  }
}
