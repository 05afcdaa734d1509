import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { preflight } from '../../services/preflight.js';
import { freePort } from '../helpers/ports.js';
import { repoRoot } from '../helpers/procfile.js';

const run = promisify(execFile);
const servers: Server[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A program already listening on a port, as a running show's broker would be. */
async function taken(): Promise<number> {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return (server.address() as { port: number }).port;
}

async function freeEnv(extra: Record<string, string> = {}) {
  return {
    BIND_HOST: '127.0.0.1',
    MQTT_PORT: String(await freePort()),
    MQTT_WS_PORT: String(await freePort()),
    VISUALISER_PORT: String(await freePort()),
    ...extra,
  };
}

/** Runs a built entry point with exactly `env` (nothing of the user's), in an empty directory (no .env). */
async function runEntry(file: string, env: Record<string, string>) {
  const cwd = mkdtempSync(join(tmpdir(), 'openwest-second-copy-'));
  dirs.push(cwd);
  try {
    const { stdout, stderr } = await run(process.execPath, [resolve(repoRoot, file)], {
      cwd,
      env: { PATH: process.env.PATH ?? '', ...env },
      timeout: 20_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('npm start’s preflight', () => {
  it('passes on free ports and good settings', async () => {
    expect(await preflight(await freeEnv())).toEqual([]);
  });

  it('stops a second copy: a port in use is one line naming it and the setting to change', async () => {
    const port = await taken();
    expect(await preflight(await freeEnv({ MQTT_PORT: String(port) }))).toEqual([
      `port ${port} in use — is OpenWest already running? stop it or set MQTT_PORT`,
    ]);
    const ws = await taken();
    expect(await preflight(await freeEnv({ MQTT_WS_PORT: String(ws) }))).toEqual([
      `port ${ws} in use — is OpenWest already running? stop it or set MQTT_WS_PORT`,
    ]);
  });

  it('names a bad setting or a missing instruments file, with no port check', async () => {
    const [bad] = await preflight(await freeEnv({ MQTT_PORT: '70000' }));
    expect(bad).toMatch(/MQTT_PORT/);
    const [missing] = await preflight(await freeEnv({ INSTRUMENTS_FILE: 'nope.json' }));
    expect(missing).toMatch(/^mapper: .*nope\.json/s);
    const [supervisor] = await preflight(await freeEnv({ SUPERVISE_STANDBY: 'yes' }));
    expect(supervisor).toMatch(/^supervisor: .*SUPERVISE_STANDBY/s);
  });

  it('as a script exits 2 with the line on stderr before anything starts', async () => {
    const port = await taken();
    const result = await runEntry('scripts/preflight.mjs', await freeEnv({ MQTT_PORT: String(port) }));
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(`port ${port} in use — is OpenWest already running? stop it or set MQTT_PORT`);
  });
});

describe('the broker on a port another program holds', () => {
  it('exits 2 with one line, no stack trace, so its supervisor does not retry', async () => {
    const port = await taken();
    const result = await runEntry(
      'dist/services/broker/main.js',
      await freeEnv({ MQTT_PORT: String(port), LOG_FORMAT: 'json' }),
    );
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      `broker: port ${port} in use — is OpenWest already running? stop it or set MQTT_PORT`,
    );
    expect(result.stdout).not.toMatch(/EADDRINUSE|at .*\.js:\d+/);
  });
});

describe('npm start’s preflight, when it cannot listen for another reason', () => {
  it('says so with the reason and the settings to check, not "in use"', async () => {
    const [problem] = await preflight(await freeEnv({ BIND_HOST: '10.255.255.1' }));
    expect(problem).toMatch(/^cannot listen on 10\.255\.255\.1:\d+ \(EADDRNOTAVAIL\): check BIND_HOST and MQTT_PORT$/);
  });

  it('with MQTT_URL (another broker) checks only the page’s port', async () => {
    const port = await taken();
    expect(await preflight(await freeEnv({ MQTT_URL: 'mqtt://127.0.0.1:1', MQTT_PORT: String(port) }))).toEqual([]);
    const page = await taken();
    expect(await preflight(await freeEnv({ MQTT_URL: 'mqtt://127.0.0.1:1', VISUALISER_PORT: String(page) }))).toEqual([
      `port ${page} in use — is OpenWest already running? stop it or set VISUALISER_PORT`,
    ]);
  });
});
