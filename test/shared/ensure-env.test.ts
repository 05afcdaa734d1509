import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/procfile.js';

// scripts/ensure-env.mjs, which `npm start` runs first, on a .env of our own.
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'openwest-env-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const ensureEnv = (envFile: string, env: Record<string, string> = {}) => {
  const { SERVICE_PASSWORD: _ignored, ...rest } = process.env;
  return spawnSync(process.execPath, ['scripts/ensure-env.mjs', envFile], {
    cwd: repoRoot,
    env: { ...rest, ...env },
    encoding: 'utf8',
  });
};
const passwords = (text: string) => [...text.matchAll(/^SERVICE_PASSWORD=(.*)$/gm)].map((m) => m[1]!);

describe('npm start on a fresh machine: SERVICE_PASSWORD', () => {
  it('creates a random one in a new .env readable by its owner only, and never prints it', () => {
    const envFile = join(dir, '.env');
    const run = ensureEnv(envFile);
    expect(run.status).toBe(0);
    const [password] = passwords(readFileSync(envFile, 'utf8'));
    expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(statSync(envFile).mode & 0o777).toBe(0o600);
    expect(run.stdout + run.stderr).not.toContain(password);
    expect(run.stdout).toContain(`created a random SERVICE_PASSWORD in ${envFile}`);
  });

  it('appends to an existing .env without touching its settings, and only once', () => {
    const envFile = join(dir, '.env');
    writeFileSync(envFile, 'MQTT_PORT=1884'); // no trailing newline
    ensureEnv(envFile);
    ensureEnv(envFile);
    const text = readFileSync(envFile, 'utf8');
    expect(text.startsWith('MQTT_PORT=1884\n')).toBe(true);
    expect(passwords(text)).toHaveLength(1);
  });

  it('leaves everything alone when SERVICE_PASSWORD is set in the environment', () => {
    const envFile = join(dir, '.env');
    const run = ensureEnv(envFile, { SERVICE_PASSWORD: 'chosen' });
    expect(run.status).toBe(0);
    expect(() => statSync(envFile)).toThrow(/ENOENT/);
  });

  it('two runs on a fresh machine give different passwords', () => {
    const a = join(dir, 'a.env');
    const b = join(dir, 'b.env');
    ensureEnv(a);
    ensureEnv(b);
    expect(passwords(readFileSync(a, 'utf8'))).not.toEqual(passwords(readFileSync(b, 'utf8')));
  });
});
