import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { repoRoot } from './procfile.js';
import { watchChild } from './child-output.js';
import { testEnv } from './env.js';

export interface ServiceProcess {
  readonly process: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): void;
}

/** One built service (`dist/services/<name>/main.js`) as its own process, as a Procfile line runs it. */
export function startServiceProcess(name: string, env: Record<string, string>, args: string[] = []): ServiceProcess {
  const child = spawn(process.execPath, [resolve(repoRoot, `dist/services/${name}/main.js`), ...args], {
    cwd: repoRoot,
    env: testEnv({ LOG_FORMAT: 'json', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const { output, exited } = watchChild(child);
  return {
    process: child,
    output,
    exited,
    kill: (signal = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}
