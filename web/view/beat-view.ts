import type { Tempo } from '../../shared/contract/contract.js';
import { beatAt } from '../state/tempo-state.js';
import { setText } from './dom.js';

/**
 * The room's beat: while a tempo is set, `node` shows its bpm and pulses on each beat (the page's
 * clock against the tempo's `since`, so a phone whose clock is off pulses off the beat by as
 * much); hidden while there is none. Draws from animation frames only while it is shown.
 */
export class BeatView {
  private tempo: Tempo | null = null;
  private lastBeat = Number.NaN;
  private frame = 0;

  constructor(private readonly node: HTMLElement) {}

  setTempo(tempo: Tempo | null): void {
    this.tempo = tempo;
    this.node.hidden = tempo === null;
    cancelAnimationFrame(this.frame);
    if (tempo === null) return;
    setText(this.node, `♩ ${Math.round(tempo.bpm)}`);
    this.node.title = `the room's tempo: ${tempo.bpm} bpm, audience notes land on ${tempo.steps === 2 ? 'eighths' : 'sixteenths'}`;
    this.frame = requestAnimationFrame(this.draw);
  }

  private readonly draw = (): void => {
    if (this.tempo === null) return;
    const beat = beatAt(this.tempo, Date.now());
    if (beat !== this.lastBeat) {
      this.lastBeat = beat;
      // Restart the pulse: the attribute flips each beat, and each value has its own animation.
      this.node.dataset.beat = beat % 2 === 0 ? 'even' : 'odd';
    }
    this.frame = requestAnimationFrame(this.draw);
  };
}
