import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from './wait.js';

/**
 * A pseudo-terminal pair made by `socat`: a program opens `device` as if it were an Arduino's
 * serial port, and the test writes what the board would send into `board`. Killing socat is
 * unplugging the board; `replug()` makes a new pair at the same paths.
 */
export interface PtyPair {
  readonly device: string;
  readonly board: string;
  /** Writes text to the board end, as the firmware would send it. */
  send(text: string | Buffer): void;
  unplug(): Promise<void>;
  replug(): Promise<void>;
  stop(): Promise<void>;
}

export async function startPtyPair(): Promise<PtyPair> {
  const dir = mkdtempSync(join(tmpdir(), 'openwest-pty-'));
  const device = join(dir, 'ttyACM-test');
  const board = join(dir, 'board');
  let child: ChildProcess | undefined;
  let boardFd: number | undefined;

  const plug = async () => {
    const socat = spawn('socat', [`pty,link=${device},raw,echo=0`, `pty,link=${board},raw,echo=0`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    socat.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    const failed = new Promise<never>((_, reject) => {
      socat.once('error', (e) => reject(new Error(`cannot run socat (apt-get install socat): ${e.message}`)));
      socat.once('exit', (code) => reject(new Error(`socat exited with ${code}: ${stderr}`)));
    });
    failed.catch(() => {});
    await Promise.race([
      failed,
      waitFor(`socat to create ${device}`, () => existsSync(device) && existsSync(board), 10_000),
    ]);
    child = socat;
    boardFd = openSync(board, 'w');
  };

  const unplug = async () => {
    if (boardFd !== undefined) closeSync(boardFd);
    boardFd = undefined;
    const socat = child;
    child = undefined;
    if (socat && socat.exitCode === null && socat.signalCode === null) {
      const exited = new Promise((resolve) => socat.once('exit', resolve));
      socat.kill('SIGTERM');
      await exited;
    }
    await waitFor(`socat to remove ${device}`, () => !existsSync(device), 5_000);
  };

  await plug();
  return {
    device,
    board,
    send(text) {
      if (boardFd === undefined) throw new Error('the board is unplugged');
      writeSync(boardFd, typeof text === 'string' ? Buffer.from(text, 'latin1') : text);
    },
    unplug,
    replug: plug,
    async stop() {
      await unplug();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
