import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.js';
import { waitFor } from './wait.js';

export interface Mosquitto {
  port: number;
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface MosquittoFiles {
  /** Files written next to the configuration (e.g. an ACL file), by name. */
  files?: Record<string, string>;
  /** Users for a `passwords` file made with mosquitto_passwd. */
  passwords?: Record<string, string>;
  /** Listen on this port (e.g. to restart a broker where its clients expect it); free by default. */
  port?: number;
}

/**
 * Debian's Mosquitto on a free port bound to 127.0.0.1, anonymous, no persistence. Fails (it
 * does not skip) when mosquitto is not installed: `.ci/run` installs it. `extraConfig` may be a
 * function of the directory holding `files` and `passwords` (Mosquitto reads them after it
 * drops root, so they are world-readable).
 */
export async function startMosquitto(
  extraConfig: string | ((dir: string) => string) = '',
  { files = {}, passwords = {}, port: wanted }: MosquittoFiles = {},
): Promise<Mosquitto> {
  const port = wanted ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'openwest-mosquitto-'));
  chmodSync(dir, 0o755);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text, { mode: 0o644 });
  if (Object.keys(passwords).length > 0) {
    const passwordFile = join(dir, 'passwords');
    writeFileSync(passwordFile, '', { mode: 0o644 });
    for (const [user, password] of Object.entries(passwords))
      execFileSync('mosquitto_passwd', ['-b', passwordFile, user, password]);
    chmodSync(passwordFile, 0o644);
  }
  const extra = typeof extraConfig === 'function' ? extraConfig(dir) : extraConfig;
  const configFile = join(dir, 'mosquitto.conf');
  writeFileSync(
    configFile,
    `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nset_tcp_nodelay true\n${extra}\n`,
  );
  const child = spawn('mosquitto', ['-c', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const spawnError = new Promise<never>((_, reject) =>
    child.once('error', (e) => reject(new Error(`cannot run mosquitto (apt-get install mosquitto): ${e.message}`))),
  );
  await Promise.race([
    spawnError,
    waitFor(`mosquitto on port ${port} (${output})`, () => canConnect(port), 10_000, 50),
  ]);
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    process: child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
