import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/procfile.js';

const check = (path: string) =>
  spawnSync(process.execPath, ['scripts/check-test-deps.mjs'], {
    cwd: repoRoot,
    env: { PATH: path },
    encoding: 'utf8',
  });

describe('npm test on a machine that is not set up', () => {
  it('stops at once, naming the missing Debian packages and the one command that installs them', () => {
    const run = check('/nonexistent');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/lacks Debian packages the tests use: .*mosquitto-clients .*chromium/);
    expect(run.stderr).toContain('bash .ci/run');
  });

  it('passes quietly on this machine, which has them', () => {
    const run = check(process.env.PATH ?? '');
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
  });
});
