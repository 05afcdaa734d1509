import { LatencyWindow } from '../../shared/runtime/stats.js';
import {
  DROP_REASONS,
  REJECTION_CODES,
  type DropReason,
  type MapperOutput,
  type RejectionCode,
} from './mapper-output.js';

/** The counters behind `stats/mapper`: what came in, what was played, refused, dropped. */
export class MapperStats {
  private received = 0;
  private notes = 0;
  private rejected = 0;
  private readonly rejectedByReason = new Map<RejectionCode, number>(REJECTION_CODES.map((code) => [code, 0]));
  private errorsSuppressed = 0;
  private droppedByRateLimit = 0;
  private readonly droppedByReason = new Map<DropReason, number>(DROP_REASONS.map((reason) => [reason, 0]));
  /** Arrival → publish, for notes (less any wait for a grid step). */
  readonly latency = new LatencyWindow();
  /** With a tempo: how long audience notes waited for their grid step. */
  readonly stepWait = new LatencyWindow();

  count(out: MapperOutput): void {
    this.received += 1;
    switch (out.kind) {
      case 'note':
        this.notes += 1;
        break;
      case 'dropped':
        this.droppedByRateLimit += 1;
        this.droppedByReason.set(out.reason, (this.droppedByReason.get(out.reason) ?? 0) + 1);
        break;
      case 'suppressed':
      case 'rejection':
        this.rejected += 1;
        this.rejectedByReason.set(out.code, (this.rejectedByReason.get(out.code) ?? 0) + 1);
        if (out.kind === 'suppressed') this.errorsSuppressed += 1;
        break;
    }
  }

  snapshot() {
    return {
      received: this.received,
      notes: this.notes,
      rejected: this.rejected,
      rejectedByReason: Object.fromEntries(this.rejectedByReason),
      droppedByRateLimit: this.droppedByRateLimit,
      droppedByReason: Object.fromEntries(this.droppedByReason),
      errorsSuppressed: this.errorsSuppressed,
      latencyMs: this.latency.percentiles(),
      stepWaitMs: this.stepWait.percentiles(),
    };
  }
}
