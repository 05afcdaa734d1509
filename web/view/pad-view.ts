import type { NoteEvent, Rejection, Tempo } from '../../shared/contract/contract.js';
import { DRUM_KEYS, drumName, drumShortName } from '../../shared/contract/drum-names.js';
import { drumKey, drumValue } from '../../shared/contract/drums.js';
import { noteName } from '../../shared/contract/note-names.js';
import {
  DRUM_COLUMNS,
  DRUM_PAGE_SIZE,
  keyboardLayout,
  movedIndex,
  OCTAVE,
  PAD_HIGH,
  PAD_LOW,
  padValue,
  pianoPageFor,
  pianoPageStarts,
} from '../state/keyboard.js';
import { heldKey, inkOn, PAGE_COLOURS } from '../state/lane-colours.js';
import { padAnswerMs, padLine, stepPad, type PadInput, type PadPending } from '../state/pad-feedback.js';
import type { Lane } from '../state/room.js';
import { el, setText } from './dom.js';

export interface PadElements {
  instrument: HTMLSelectElement;
  keyboard: HTMLDivElement;
  lower: HTMLButtonElement;
  higher: HTMLButtonElement;
  range: HTMLElement;
  slider: HTMLInputElement;
  sliderValue: HTMLOutputElement;
  /** The one-line status: what played, or why not. */
  sent: HTMLElement;
}

/** One thing the pad can play: a piano key or a drum. */
interface PadItem {
  value: number;
  label: string;
  name: string;
}

const pianoItems: PadItem[] = Array.from({ length: PAD_HIGH - PAD_LOW + 1 }, (_, i) => {
  const value = PAD_LOW + i;
  return { value, label: noteName(value), name: `${noteName(value)} (${value})` };
});
const drumItems: PadItem[] = DRUM_KEYS.flatMap((key) => {
  const value = drumValue(key);
  const [short, full] = [drumShortName(key), drumName(key)];
  // The spoken name starts with what the pad shows ("Snare (Acoustic Snare)").
  return value === undefined ? [] : [{ value, label: short, name: short === full ? full : `${short} (${full})` }];
});
const PIANO_STARTS = pianoPageStarts();

/**
 * The play pad: pick an instrument, tap a key (an octave at a time, or a page of drums, so the
 * keyboard never scrolls under a finger) or drag the slider. `play(instrument, value)` publishes
 * and says whether it could; the status line then says what came back: the note that played, "too
 * fast — not played", or the refusal's reason.
 */
export class PadView {
  private lanesKey = '';
  private lanes: readonly Lane[] = [];
  private lastSlid: number | undefined;
  private drums = false;
  /** Piano: the page's first value; drums: the page number. */
  private page = 60;
  /** The item that holds the keyboard's one Tab stop, by index into the current items. */
  private roving = 60 - PAD_LOW;
  private pending: PadPending = [];
  private expiry: ReturnType<typeof setTimeout> | undefined;
  private answerMs = padAnswerMs(null);

  constructor(
    private readonly e: PadElements,
    private readonly play: (instrument: number, value: number) => boolean,
    private readonly topicOf: (instrument: number) => string,
  ) {
    e.slider.addEventListener('input', () => {
      const value = padValue(Number(e.slider.value));
      this.showSlider(value);
      if (value === this.lastSlid) return;
      this.lastSlid = value;
      this.send(value);
    });
    e.instrument.addEventListener('change', () => this.instrumentChanged());
    e.lower.addEventListener('click', () => this.turn(-1));
    e.higher.addEventListener('click', () => this.turn(1));
    e.keyboard.addEventListener('keydown', (event) => this.onKey(event));
    this.renderPage();
  }

  /** Keeps the instrument picker in step with the lanes (keeps the choice). */
  setLanes(lanes: readonly Lane[]): void {
    this.lanes = lanes;
    const key = lanes.map((l) => `${l.instrument}:${l.name}:${l.colour}:${l.drums}`).join('|');
    if (key === this.lanesKey) return;
    this.lanesKey = key;
    const chosen = this.e.instrument.value || '1';
    this.e.instrument.replaceChildren(
      ...lanes.map((l) => el('option', { value: String(l.instrument) }, `${l.instrument} ${l.name}`)),
    );
    this.e.instrument.value = lanes.some((l) => String(l.instrument) === chosen)
      ? chosen
      : String(lanes[0]?.instrument ?? 1);
    this.instrumentChanged();
  }

  /** The room's tempo (null: none): a quantised note answers up to one grid step later. */
  setTempo(tempo: Tempo | null): void {
    this.answerMs = padAnswerMs(tempo);
  }

  /** A note arrived on notes/N: it may answer a value this pad sent. */
  noteArrived(note: NoteEvent, at: number): void {
    this.feed({ kind: 'note', note, at });
  }

  /** A refusal arrived on errors: it may be of a value this pad sent. */
  rejectionArrived(rejection: Rejection, at: number): void {
    this.feed({ kind: 'rejection', rejection, at });
  }

  private get items(): PadItem[] {
    return this.drums ? drumItems : pianoItems;
  }

  private get lane(): Lane | undefined {
    return this.lanes.find((l) => String(l.instrument) === this.e.instrument.value);
  }

  private instrumentChanged(): void {
    const lane = this.lane;
    const drums = lane?.drums ?? false;
    if (drums !== this.drums) {
      this.drums = drums;
      this.roving = drums ? 0 : 60 - PAD_LOW;
      this.page = drums ? 0 : 60;
    }
    const colour = lane?.colour ?? '#f5c542';
    const style = this.e.keyboard.style;
    const white = heldKey(colour, PAGE_COLOURS.whiteKey);
    const black = heldKey(colour, PAGE_COLOURS.blackKey);
    style.setProperty('--held-white', white);
    style.setProperty('--held-white-ink', inkOn(white));
    style.setProperty('--held-black', black);
    style.setProperty('--held-black-ink', inkOn(black));
    style.setProperty('--pad-colour', colour);
    style.setProperty('--pad-ink', inkOn(colour));
    this.showSlider(padValue(Number(this.e.slider.value)));
    this.renderPage();
  }

  /** Turns one page (an octave, or twelve drums) down or up. */
  private turn(direction: -1 | 1): void {
    if (this.drums) {
      const pages = Math.ceil(drumItems.length / DRUM_PAGE_SIZE);
      this.page = Math.min(pages - 1, Math.max(0, this.page + direction));
      this.roving = this.page * DRUM_PAGE_SIZE;
    } else {
      const at = PIANO_STARTS.indexOf(this.page);
      this.page = PIANO_STARTS[Math.min(PIANO_STARTS.length - 1, Math.max(0, at + direction))] ?? this.page;
      // The same note name an octave away when there is one, else the page's first key.
      const same = this.roving + PAD_LOW + direction * OCTAVE;
      this.roving = (same >= this.page && same <= this.page + OCTAVE ? same : this.page) - PAD_LOW;
    }
    this.renderPage();
  }

  /** Arrow keys move between keys (turning the page at its edges), Enter and Space play. */
  private onKey(event: KeyboardEvent): void {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      if (event.repeat) return;
      const button = event.target instanceof HTMLElement ? event.target.closest('button') : null;
      if (button) this.press(button);
      return;
    }
    const step = this.drums ? -DRUM_COLUMNS : OCTAVE;
    const next = movedIndex(this.roving, event.key, this.items.length, step);
    if (next === undefined) return;
    event.preventDefault();
    this.roving = next;
    const value = this.items[next]!.value;
    this.page = this.drums ? Math.floor(next / DRUM_PAGE_SIZE) : pianoPageFor(value, this.page, PIANO_STARTS);
    this.renderPage(true);
  }

  private renderPage(keepFocus = false): void {
    const hadFocus = keepFocus || this.e.keyboard.contains(document.activeElement);
    const shown = this.drums ? this.renderDrums() : this.renderPiano();
    const first = shown[0];
    const last = shown[shown.length - 1];
    const from = this.page * DRUM_PAGE_SIZE + 1;
    const range = this.drums
      ? `${from}–${from + shown.length - 1} of ${drumItems.length}`
      : `${noteName(this.page)}–${noteName(this.page + OCTAVE)}`;
    setText(this.e.range, range);
    this.e.keyboard.setAttribute(
      'aria-label',
      this.drums ? `Drums ${range}: ${first?.label ?? ''} to ${last?.label ?? ''}` : `Keys ${range}`,
    );
    const atStart = this.drums ? this.page === 0 : this.page === PIANO_STARTS[0];
    const atEnd = this.drums
      ? (this.page + 1) * DRUM_PAGE_SIZE >= drumItems.length
      : this.page === PIANO_STARTS[PIANO_STARTS.length - 1];
    this.e.lower.disabled = atStart;
    this.e.higher.disabled = atEnd;
    this.e.lower.setAttribute('aria-label', this.drums ? 'Previous drums' : 'Octave down');
    this.e.higher.setAttribute('aria-label', this.drums ? 'Next drums' : 'Octave up');
    const rovingValue = String(this.items[this.roving]?.value ?? '');
    const buttons = [...this.e.keyboard.querySelectorAll<HTMLButtonElement>('button')];
    const current = buttons.find((b) => b.dataset.value === rovingValue) ?? buttons[0];
    for (const b of buttons) b.tabIndex = b === current ? 0 : -1;
    if (hadFocus) current?.focus();
  }

  private renderPiano(): PadItem[] {
    const { keys, width } = keyboardLayout(this.page, this.page + OCTAVE);
    const percent = (x: number) => `${((x / width) * 100).toFixed(3)}%`;
    this.e.keyboard.className = 'keyboard piano';
    this.e.keyboard.replaceChildren(
      ...keys.map((key) =>
        this.keyButton(
          { value: key.value, label: key.name, name: `${key.name} (${key.value})` },
          `key ${key.black ? 'black' : 'white'}`,
          `left:${percent(key.left)};width:${percent(key.black ? 0.6 : 1)}`,
        ),
      ),
    );
    return pianoItems.filter((i) => i.value >= this.page && i.value <= this.page + OCTAVE);
  }

  private renderDrums(): PadItem[] {
    const shown = drumItems.slice(this.page * DRUM_PAGE_SIZE, (this.page + 1) * DRUM_PAGE_SIZE);
    this.e.keyboard.className = 'keyboard drums';
    this.e.keyboard.replaceChildren(...shown.map((item) => this.keyButton(item, 'key drum', '')));
    return shown;
  }

  private keyButton(item: PadItem, className: string, style: string): HTMLButtonElement {
    const button = el(
      'button',
      { type: 'button', class: className, 'data-value': String(item.value), 'aria-label': item.name, style },
      el('span', { class: 'key-label', 'aria-hidden': 'true' }, item.label),
    );
    // On press, not release: a pad is an instrument. The keyboard never scrolls (touch-action: none).
    button.addEventListener('pointerdown', (event) => {
      if (event.button !== 0) return;
      event.preventDefault();
      this.roving = this.items.findIndex((i) => i.value === item.value);
      for (const b of this.e.keyboard.querySelectorAll('button')) b.tabIndex = b === button ? 0 : -1;
      this.press(button);
    });
    const up = () => button.classList.remove('down');
    button.addEventListener('pointerup', up);
    button.addEventListener('pointerleave', up);
    button.addEventListener('pointercancel', up);
    button.addEventListener('keyup', up);
    button.addEventListener('blur', up);
    return button;
  }

  private press(button: HTMLButtonElement): void {
    button.classList.add('down');
    this.send(Number(button.dataset.value));
  }

  private showSlider(value: number): void {
    const text = `${value} ${this.drums ? drumShortName(drumKey(value)) : noteName(value)}`;
    setText(this.e.sliderValue, text);
    this.e.slider.setAttribute('aria-valuetext', text);
  }

  private send(value: number): void {
    const instrument = Number(this.e.instrument.value || '1');
    if (!this.play(instrument, value)) {
      this.show('not connected: nothing sent', 'offline');
      return;
    }
    this.show(`${this.lane?.name ?? `Instrument ${instrument}`}: ${value} sent…`, 'waiting');
    this.feed({ kind: 'sent', send: { instrument, value, at: performance.now() } });
  }

  private feed(input: PadInput): void {
    const { pending, outcomes } = stepPad(this.pending, input, this.topicOf, this.answerMs);
    this.pending = pending;
    const latest = outcomes[outcomes.length - 1];
    if (latest) {
      const lane = this.lanes.find((l) => l.instrument === latest.send.instrument);
      this.show(padLine(latest, lane), latest.kind);
    }
    clearTimeout(this.expiry);
    const oldest = pending[0];
    // One timer for the oldest send: when it fires, the tick expires it and re-arms for the next.
    if (oldest) {
      this.expiry = setTimeout(
        () => this.feed({ kind: 'tick', at: performance.now() }),
        Math.max(0, oldest.at + this.answerMs + 1 - performance.now()),
      );
    }
  }

  private show(text: string, outcome: string): void {
    setText(this.e.sent, text);
    this.e.sent.dataset.outcome = outcome;
  }
}
