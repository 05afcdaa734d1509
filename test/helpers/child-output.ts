import type { ChildProcess } from 'node:child_process';

/** Everything a child prints on stdout and stderr, as it arrives, and its exit code. */
export function watchChild(child: ChildProcess): { output: () => string; exited: Promise<number | null> } {
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString('utf8')));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString('utf8')));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { output: () => output, exited };
}
