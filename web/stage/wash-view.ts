import type { StageLane, Hit } from './stage-state.js';
import { hexOf, poolPlaces, stepWash, washLayers, washTargets, type Wash } from './wash.js';

/**
 * The whole-screen light: each frame its pools step towards what the latest notes ask for, and
 * the element's background is written only when what it draws changed (nothing once it settles).
 */
export class WashView {
  private wash: Wash = [];
  private lastFrame: number | undefined;
  private layers = '';

  constructor(private readonly element: HTMLElement) {}

  draw(hits: readonly Hit[], onStage: readonly StageLane[], now: number, reducedMotion: boolean): void {
    // A long gap (a hidden tab) is one step, not a jump through every frame it missed.
    const dt = this.lastFrame === undefined ? 16 : Math.min(250, now - this.lastFrame);
    this.lastFrame = now;
    this.wash = stepWash(this.wash, washTargets(hits, now, reducedMotion), poolPlaces(onStage), dt, reducedMotion);
    const layers = washLayers(this.wash);
    if (layers === this.layers) return;
    this.layers = layers;
    this.element.style.backgroundImage = layers;
    // For tests and the curious: the brightest pool's colour and level.
    const brightest = this.wash.reduce<Wash[number] | undefined>(
      (a, p) => (a && a.level >= p.level ? a : p),
      undefined,
    );
    this.element.dataset.colour = brightest ? hexOf(brightest.colour) : '';
    this.element.dataset.level = (brightest?.level ?? 0).toFixed(3);
  }
}
