import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { repoRoot } from './procfile.js';
import { watchChild } from './child-output.js';
import { waitFor } from './wait.js';
import { testEnv } from './env.js';

export interface SynthProcess {
  readonly process: ChildProcess;
  /** Everything it printed (stdout and stderr). */
  output(): string;
  /** Log lines (LOG_FORMAT=json) as objects. */
  logs(): { level: number; msg: string }[];
  waitForLog(match: string | RegExp, timeoutMs?: number): Promise<{ level: number; msg: string }>;
  /** Sends `signal` and waits for the exit. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The built synth (`dist/services/synth/main.js`), as the Procfile runs it, with `env` added. */
export function startSynthProcess(env: Record<string, string>): SynthProcess {
  const child = spawn(process.execPath, [resolve(repoRoot, 'dist/services/synth/main.js')], {
    cwd: repoRoot,
    env: testEnv({ LOG_FORMAT: 'json', LOG_LEVEL: 'info', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const { output } = watchChild(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  const logs = () =>
    output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: number; msg: string });
  const matches = (match: string | RegExp, msg: string) =>
    typeof match === 'string' ? msg.includes(match) : match.test(msg);
  return {
    process: child,
    output,
    logs,
    waitForLog: (match, timeoutMs = 15_000) =>
      waitFor(
        `synth to log ${match} (output so far: ${output().slice(-800)})`,
        () => logs().find((l) => matches(match, l.msg)),
        timeoutMs,
      ),
    async stop(signal = 'SIGINT', timeoutMs = 10_000) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return Promise.race([
        exited,
        new Promise<never>((_, reject) =>
          setTimeout(() => {
            child.kill('SIGKILL');
            reject(new Error(`synth still running ${timeoutMs} ms after ${signal}`));
          }, timeoutMs),
        ),
      ]);
    },
  };
}
