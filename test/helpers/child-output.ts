import type { ChildProcess } from 'node:child_process';

export interface WatchedChild {
  /** stdout and stderr interleaved as they arrived. */
  output: () => string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Everything a child prints on stdout and stderr, as it arrives, and its exit code. */
export function watchChild(child: ChildProcess): WatchedChild {
  let output = '';
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => {
    const text = c.toString('utf8');
    output += text;
    stdout += text;
  });
  child.stderr?.on('data', (c: Buffer) => {
    const text = c.toString('utf8');
    output += text;
    stderr += text;
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { output: () => output, stdout: () => stdout, stderr: () => stderr, exited };
}
