/** How long an instrument stays on stage after its last note, before it starts to fade. */
export const SILENT_AFTER_MS = 4_000;
/** How long it takes to fade out, and to grow in when it starts playing. */
export const FADE_MS = 1_500;
export const GROW_MS = 600;

/** When an instrument started playing this time, and its latest note. */
export interface Activity {
  since: number;
  lastAt: number;
}

/** The instrument's activity after a note at page time `at`: a new run once it had gone. */
export function activityAfterNote(previous: Activity | undefined, at: number): Activity {
  const gone = !previous || at - previous.lastAt >= SILENT_AFTER_MS + FADE_MS;
  return { since: gone ? at : previous.since, lastAt: at };
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));
/** Eases both ends, so a lane settles into place instead of stopping dead. */
const smoothstep = (x: number) => x * x * (3 - 2 * x);

/**
 * How much of a lane is on stage at page time `now`: 0 (not there) to 1 (full height). It grows
 * in over GROW_MS from its first note and fades over FADE_MS after SILENT_AFTER_MS of silence.
 * With reduced motion it is there or not, with nothing in between.
 */
export function presence(activity: Activity | undefined, now: number, reducedMotion = false): number {
  if (!activity) return 0;
  const silence = now - activity.lastAt;
  if (reducedMotion) return silence < SILENT_AFTER_MS + FADE_MS ? 1 : 0;
  const grow = clamp01((now - activity.since) / GROW_MS);
  const fade = clamp01(1 - (silence - SILENT_AFTER_MS) / FADE_MS);
  return smoothstep(Math.min(grow, fade));
}
