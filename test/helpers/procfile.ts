import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { freePort } from './ports.js';
import { watchChild } from './child-output.js';
import { waitFor } from './wait.js';
import { envFile, testEnv } from './env.js';

export const repoRoot = resolve(import.meta.dirname, '../..');

/**
 * STALE_AFTER_MS for the whole show under a test: every suite runs at once on a 2-core machine,
 * where a lone note can take more than the default 100 ms from mapper to synth with no crowd at
 * all. The stale rule has tests of its own (test/synth/drop-stale.test.ts, synth.int.test.ts).
 */
export const LOADED_MACHINE_STALE_MS = '2000';

export interface Foreman {
  readonly process: ChildProcess;
  /** Everything foreman and the services printed so far. */
  output(): string;
  /** Sends `signal` to foreman alone (as a terminal's Ctrl-C reaches it) and waits for it to exit. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<{ code: number | null; ms: number }>;
  /** After a test: stops foreman and everything it runs (gracefully, then by force). */
  kill(): Promise<void>;
}

/**
 * Runs the repository's Procfile through node-foreman, exactly as `npm start` does after its
 * build, in its own process group so nothing can outlive the test.
 */
export async function startProcfile(
  env: Record<string, string>,
  procfile = 'Procfile',
  cwd = repoRoot,
): Promise<Foreman> {
  // Every Procfile line runs, the web page's server too: on a free port, so runs can overlap.
  const visualiserPort = env.VISUALISER_PORT ?? String(await freePort());
  // `-e` an empty file: a `.env` beside the Procfile (npm start writes one) is not read.
  const child = spawn(resolve(repoRoot, 'node_modules/.bin/nf'), ['start', '-j', procfile, '-e', envFile()], {
    cwd,
    env: testEnv({
      LOG_FORMAT: 'json',
      STALE_AFTER_MS: LOADED_MACHINE_STALE_MS,
      VISUALISER_PORT: visualiserPort,
      ...env,
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const { output, exited } = watchChild(child);
  return {
    process: child,
    output,
    async stop(signal = 'SIGINT', timeoutMs = 10_000) {
      const started = Date.now();
      child.kill(signal);
      const code = await Promise.race([
        exited,
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error(`foreman still running ${timeoutMs} ms after ${signal}`)), timeoutMs),
        ),
      ]);
      return { code, ms: Date.now() - started };
    },
    async kill() {
      // Services run under the supervisor in process groups of their own, out of reach of a
      // group kill: stop foreman with SIGINT first (it passes that on; on SIGTERM node-foreman
      // exits and orphans its children), then force.
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGINT');
        await Promise.race([exited, new Promise((done) => setTimeout(done, 8_000))]);
      }
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    },
  };
}

/** Whether a process with this pid still exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export const waitForOutput = (foreman: Foreman, text: string | RegExp, timeoutMs = 15_000) =>
  waitFor(
    `foreman output to contain ${text}`,
    () => (typeof text === 'string' ? foreman.output().includes(text) : text.test(foreman.output())),
    timeoutMs,
  );
