import { LatencyWindow } from '../../shared/contract/latency-window.js';
import type { NoteEvent } from '../../shared/contract/contract.js';
import type { SoundEngine } from '../sound/sound-engine.js';
import type { Lane } from '../state/room.js';
import { setText } from './dom.js';

export interface SoundElements {
  button: HTMLButtonElement;
  volume: HTMLInputElement;
  lookAhead: HTMLSelectElement;
  latency: HTMLElement;
  level: HTMLElement;
}

/**
 * The sound controls and figures: the "Sound" switch (its label stays, `aria-checked` and the
 * track show its state; Tone.js is loaded, and the AudioContext made, inside that gesture), master volume, look-ahead, per-lane mute, the output level, and the
 * page's own measure of message arrival → voice start.
 */
export class SoundPanel {
  private engine: SoundEngine | undefined;
  private starting = false;
  private readonly muted = new Set<number>();
  private readonly latency = new LatencyWindow(512);
  private lastLatency = 0;
  private latencyChanged = false;
  private peakDb = -Infinity;
  private lanes: readonly Lane[] = [];

  constructor(private readonly e: SoundElements) {
    e.button.addEventListener('click', () => void this.toggle());
    e.volume.addEventListener('input', () => {
      if (this.engine) this.engine.volumeDb = Number(e.volume.value);
    });
    e.lookAhead.addEventListener('change', () => {
      if (this.engine) this.engine.lookAheadS = Number(e.lookAhead.value);
    });
    // Shown ten times a second, not per note: percentiles sort the whole window.
    this.figures = setInterval(() => {
      this.showLevel();
      if (this.latencyChanged) this.showLatency();
    }, 100);
  }

  private readonly figures: ReturnType<typeof setInterval>;

  /** Stops the figures and the sound (the page is going away). */
  dispose(): void {
    clearInterval(this.figures);
    void this.engine?.close();
    this.engine = undefined;
  }

  /** The instruments on the page: their voices are built as soon as sound is on. */
  setLanes(lanes: readonly Lane[]): void {
    this.lanes = lanes;
    this.engine?.prepare(lanes);
  }

  setMuted(instrument: number, muted: boolean): void {
    if (muted) this.muted.add(instrument);
    else this.muted.delete(instrument);
    this.engine?.setMuted(instrument, muted);
  }

  /** Plays a note that arrived at page time `arrivedAt`, and records how long until its voice starts. */
  play(note: NoteEvent, arrivedAt: number): void {
    if (!this.engine) return;
    try {
      const startsAt = this.engine.play(note);
      this.lastLatency = startsAt - arrivedAt;
      this.latency.add(this.lastLatency);
      this.latencyChanged = true;
    } catch (error) {
      console.warn('could not play a note', error);
    }
  }

  private async toggle(): Promise<void> {
    if (this.starting) return;
    if (this.engine) {
      const engine = this.engine;
      this.engine = undefined;
      this.e.button.setAttribute('aria-checked', 'false');
      await engine.close();
      return;
    }
    this.starting = true;
    // Made and resumed inside the gesture: phones (iOS) only allow audio that starts this way.
    const raw = new AudioContext({ latencyHint: 'interactive' });
    const resumed = raw.resume();
    try {
      const { SoundEngine } = await import('../sound/sound-engine.js');
      await resumed;
      this.engine = SoundEngine.start(raw, {
        lookAheadS: Number(this.e.lookAhead.value),
        volumeDb: Number(this.e.volume.value),
      });
      for (const instrument of this.muted) this.engine.setMuted(instrument, true);
      this.engine.prepare(this.lanes);
      this.e.button.setAttribute('aria-checked', 'true');
    } catch (error) {
      setText(this.e.level, `output: cannot start sound (${(error as Error).message})`);
      void raw.close();
    } finally {
      this.starting = false;
    }
  }

  private showLatency(): void {
    this.latencyChanged = false;
    const p = this.latency.percentiles();
    if (!p) return;
    this.e.latency.dataset.count = String(p.samples);
    this.e.latency.dataset.p50 = String(p.p50);
    this.e.latency.dataset.last = this.lastLatency.toFixed(3);
    const parts = this.engine
      ? ` · look-ahead ${(this.engine.lookAheadS * 1000).toFixed(0)} ms, audio device ${this.engine.deviceLatencyMs.toFixed(0)} ms`
      : '';
    setText(
      this.e.latency,
      `message → voice start: last ${this.lastLatency.toFixed(1)} ms · median ${p.p50.toFixed(1)} ms · p99 ${p.p99.toFixed(1)} ms (${p.samples} notes)${parts}`,
    );
  }

  private showLevel(): void {
    if (!this.engine) return;
    const db = this.engine.levelDb();
    this.e.level.dataset.db = db.toFixed(1);
    if (db > this.peakDb) {
      this.peakDb = db;
      this.e.level.dataset.peakDb = db.toFixed(1);
    }
    setText(this.e.level, Number.isFinite(db) && db > -100 ? `output ${db.toFixed(0)} dB` : 'output: silent');
  }
}
