import { defer, map, type Observable, type OperatorFunction, type SchedulerLike } from 'rxjs';
import type { RejectionOutput, SuppressedOutput } from './mapper-output.js';

export interface ErrorCap {
  /** Rejections published per window at most. */
  limit: number;
  windowMs: number;
}

export const DEFAULT_ERROR_CAP: ErrorCap = { limit: 20, windowMs: 1_000 };

/**
 * Caps how many rejections reach `errors`: at most `limit` in each window of `windowMs` (time
 * from `scheduler`); the rest become `suppressed` (counted, not published), so a client flooding
 * garbage cannot flood the errors topic. The first rejection published after some were
 * suppressed says how many, in `suppressed`.
 */
export const capErrors =
  <T extends { kind: string }>(
    cap: ErrorCap,
    scheduler: SchedulerLike,
  ): OperatorFunction<T | RejectionOutput, T | RejectionOutput | SuppressedOutput> =>
  (source: Observable<T | RejectionOutput>) =>
    defer(() => {
      let windowStart = Number.NEGATIVE_INFINITY;
      let publishedInWindow = 0;
      let suppressedSincePublished = 0;
      return source.pipe(
        map((item): T | RejectionOutput | SuppressedOutput => {
          if (!isRejection(item)) return item;
          const now = scheduler.now();
          if (now - windowStart >= cap.windowMs || now < windowStart) {
            windowStart = now;
            publishedInWindow = 0;
          }
          if (publishedInWindow >= cap.limit) {
            suppressedSincePublished += 1;
            return { kind: 'suppressed', code: item.code, rejection: item.rejection };
          }
          publishedInWindow += 1;
          if (suppressedSincePublished === 0) return item;
          const suppressed = suppressedSincePublished;
          suppressedSincePublished = 0;
          return { ...item, rejection: { ...item.rejection, suppressed } };
        }),
      );
    });

const isRejection = (item: { kind: string }): item is RejectionOutput => item.kind === 'rejection';
