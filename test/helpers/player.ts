import { expect } from 'vitest';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import mqtt from 'mqtt';
import { repoRoot } from './procfile.js';
import { watchChild } from './child-output.js';
import { testEnv } from './env.js';

export interface PlayerRun {
  /** Resolves when the player exits. */
  exited: Promise<{ code: number | null; stdout: string; stderr: string }>;
  interrupt(): void;
  /** After a test, pass or fail: a looping player never ends by itself (it waits for its broker). */
  kill(): void;
}

/** The score player as `npm run play` runs it (from dist/, built by `npm test`). */
export function runPlayer(args: string[], env: Record<string, string> = {}): PlayerRun {
  const child = spawn(process.execPath, [resolve(repoRoot, 'dist/services/player/main.js'), ...args], {
    cwd: repoRoot,
    env: testEnv({ LOG_FORMAT: 'json', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const watched = watchChild(child);
  const exited = watched.exited.then((code) => ({ code, stdout: watched.stdout(), stderr: watched.stderr() }));
  return {
    exited,
    interrupt: () => child.kill('SIGINT'),
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

export interface Arrival {
  topic: string;
  value: number;
  at: number;
  qos: number;
}

/** Records the arrival time (performance.now) of every value on `filter`. */
export async function recordArrivals(url: string, filter: string) {
  const client = await mqtt.connectAsync(url, { protocolVersion: 4, reconnectPeriod: 0 });
  const arrivals: Arrival[] = [];
  client.on('message', (topic, payload, packet) =>
    arrivals.push({ topic, value: Number(payload.toString()), at: performance.now(), qos: packet.qos }),
  );
  // QoS 1, so each arrival shows the QoS the player published at
  await client.subscribeAsync(filter, { qos: 1 });
  return { arrivals, close: () => client.endAsync(true) };
}

export interface TimingReport {
  onsets: number;
  /**
   * Each onset's distance from the score's grid (ms). The grid is anchored at the median offset
   * of all onsets, not at the first one, so one late first note does not shift every other.
   */
  drift: { median: number; max: number };
  /** Inter-onset intervals less those of the score (ms). */
  ioi: { median: number; p95: number; max: number };
}

const quantile = (xs: number[], q: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
};
const r2 = (x: number) => Math.round(x * 100) / 100;

/** Compares arrival times of onsets with the planned times (ms from the first onset). */
export function timingReport(arrivedAt: number[], plannedMs: number[]): TimingReport {
  const offset = quantile(
    arrivedAt.map((t, i) => t - plannedMs[i]!),
    0.5,
  );
  const drift = arrivedAt.map((t, i) => Math.abs(t - offset - plannedMs[i]!));
  const ioi = arrivedAt.slice(1).map((t, i) => Math.abs(t - arrivedAt[i]! - (plannedMs[i + 1]! - plannedMs[i]!)));
  return {
    onsets: arrivedAt.length,
    drift: { median: r2(quantile(drift, 0.5)), max: r2(Math.max(...drift)) },
    ioi: { median: r2(quantile(ioi, 0.5)), p95: r2(quantile(ioi, 0.95)), max: r2(Math.max(...ioi)) },
  };
}

/**
 * The arrival time of each onset of a score played `passes` times: a chord's values arrive one
 * after another, and its onset is the first of them.
 */
export function onsetArrivals(arrivals: readonly Arrival[], chordSizes: readonly number[], passes = 1): number[] {
  const times: number[] = [];
  let next = 0;
  for (let pass = 0; pass < passes; pass++) {
    for (const size of chordSizes) {
      const first = arrivals[next];
      if (!first) throw new Error(`only ${arrivals.length} values arrived; onset ${times.length} is missing`);
      times.push(first.at);
      next += size;
    }
  }
  return times;
}

/** The player's own account of its lateness against the score (its last log line). */
export const playerLateness = (stdout: string): string | undefined =>
  /late against the score by [^"]*/.exec(stdout)?.[0];

/**
 * The tempo: the median of each inter-onset interval over its planned length is within a
 * quarter of 1. One late onset (a cold start, a busy machine) moves two intervals and not the
 * median; sending everything at once (ratio 0), or at another tempo, fails. How close to the grid
 * each onset lands is a figure, not a test (virtual time tests the grid: play-score.test.ts).
 */
export function expectTempo(arrivedAt: readonly number[], plannedMs: readonly number[]): void {
  const ratios = arrivedAt.slice(1).map((t, i) => (t - arrivedAt[i]!) / (plannedMs[i + 1]! - plannedMs[i]!));
  const median = [...ratios].sort((a, b) => a - b)[Math.floor(ratios.length / 2)]!;
  expect(median).toBeGreaterThan(0.75);
  expect(median).toBeLessThan(1.25);
}
