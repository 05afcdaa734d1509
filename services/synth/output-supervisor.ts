import type { Logger } from '../../shared/runtime/logger.js';
import type { MidiOut } from './midi-out.js';
import { mayRestart, type RestartPolicy } from './restart-policy.js';

export interface SupervisorOptions {
  log: Logger;
  policy: RestartPolicy;
  /** What plays while the real output is down (or after giving up on it): no sound. */
  fallback: () => MidiOut;
  /** Called just before the output in use changes, while the old one is still `current`: silence it. */
  beforeSwitch: () => void;
  now?: () => number;
}

/**
 * Holds the output in use and answers its crash: report it, silence everything, play to the
 * fallback, then restart the output (if it can be reopened and the policy allows) or stay on
 * the fallback. The synth keeps serving throughout.
 */
export class OutputSupervisor {
  private out: MidiOut | undefined;
  private reopen: (() => Promise<MidiOut>) | undefined;
  private readonly crashes: number[] = [];
  private closed = false;
  restarts = 0;

  constructor(private readonly options: SupervisorOptions) {}

  get current(): MidiOut {
    return (this.out ??= this.options.fallback());
  }

  /** Starts using `out`; `reopen` opens a fresh one after a crash (absent: never restarted). */
  use(out: MidiOut, reopen?: () => Promise<MidiOut>): void {
    this.out = out;
    this.reopen = reopen;
  }

  /** The output died (e.g. FluidSynth exited): `reason` says how. */
  crashed(reason: string): void {
    if (this.closed) return;
    const { log, policy } = this.options;
    const now = (this.options.now ?? Date.now)();
    const restart = this.reopen !== undefined && mayRestart(this.crashes, now, policy);
    this.crashes.push(now);
    this.switchTo(this.options.fallback());
    if (!restart || !this.reopen) {
      log.error(
        `${reason}; ${this.reopen ? `it crashed ${policy.maxRestarts + 1} times within ${policy.windowMs / 1000} s, giving up` : 'it cannot be restarted'}: no sound from now on (played events are still published); restart the synth to try again`,
      );
      return;
    }
    log.error(`${reason}; restarting it (no sound until it is back)`);
    this.reopen().then(
      (out) => {
        if (this.closed) return void out.close();
        this.restarts += 1;
        this.switchTo(out);
        log.warn(`${out.name} restarted: playing through it again`);
      },
      (error: unknown) => {
        log.error(
          `could not restart the output (${(error as Error).message}): no sound from now on (played events are still published)`,
        );
      },
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.out?.close();
  }

  private switchTo(out: MidiOut): void {
    this.options.beforeSwitch();
    this.out = out;
  }
}
