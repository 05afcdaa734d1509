import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { supervisorEnv } from '../../services/supervisor/config.js';
import { settingRows } from '../../shared/runtime/settings-doc.js';
import { watchChild } from '../helpers/child-output.js';
import { testEnv } from '../helpers/env.js';
import { repoRoot } from '../helpers/procfile.js';

const supervisor = resolve(repoRoot, 'dist/services/supervisor/main.js');

/** The built supervisor with `args` and `env`, to its exit: code, stdout and stderr together. */
async function runSupervisor(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [supervisor, ...args], {
    cwd: repoRoot,
    env: testEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const { output } = watchChild(child);
  // 'close', not 'exit': everything the supervisor and its service printed has been read.
  const code = await new Promise<number | null>((done) => child.once('close', (c) => done(c)));
  return { code, output: output() };
}

describe("the supervisor's settings", () => {
  it('a bad value stops it with exit code 2 naming each bad setting, before it starts the service', async () => {
    const run = await runSupervisor(['node', '-e', 'console.log("the service ran")'], {
      RESTART_DELAY_MS: 'soon',
      MAX_QUICK_RESTARTS: '-1',
      SUPERVISE_STANDBY: 'yes',
    });
    expect(run.code).toBe(2);
    expect(run.output).toMatch(/RESTART_DELAY_MS: .*got "soon"/);
    expect(run.output).toMatch(/MAX_QUICK_RESTARTS: .*got "-1"/);
    expect(run.output).toMatch(/SUPERVISE_STANDBY: .*got "yes"/);
    expect(run.output).not.toMatch(/the service ran/);
  });

  it('empty values are unset: the service runs with the defaults', async () => {
    const run = await runSupervisor(['node', '-e', 'console.log("the service ran")'], {
      RESTART_DELAY_MS: '',
      SUPERVISE_STANDBY: '',
    });
    expect(run.code).toBe(0);
    expect(run.output).toMatch(/the service ran/);
  });

  it('--help lists every setting with its default, from the schema', async () => {
    const run = await runSupervisor(['--help']);
    expect(run.code).toBe(0);
    const rows = settingRows(supervisorEnv);
    expect(rows.map((row) => row.name)).toEqual([
      'RESTART_DELAY_MS',
      'STANDBY_DELAY_MS',
      'MAX_QUICK_RESTARTS',
      'SUPERVISE_STANDBY',
    ]);
    for (const row of rows) expect(run.output).toContain(`${row.name} (${row.default})`);
  });
});
