import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Status } from '../../shared/contract/contract.js';
import { startTestBroker, type TestBroker } from '../helpers/broker.js';
import { testLog } from '../helpers/log.js';
import { RecordingClient } from '../helpers/mqtt-client.js';
import { alive, repoRoot } from '../helpers/procfile.js';
import { waitFor } from '../helpers/wait.js';
import { watchChild } from '../helpers/child-output.js';
import { testEnv } from '../helpers/env.js';

const SERVICE_PASSWORD = 'supervise-secret';
const supervisor = resolve(repoRoot, 'dist/services/supervisor/main.js');
const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Supervised {
  process: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/** `node dist/services/supervisor/main.js COMMAND...`, as a Procfile line runs it. */
function supervise(command: string[], env: Record<string, string> = {}): Supervised {
  const child = spawn(process.execPath, [supervisor, ...command], {
    cwd: repoRoot,
    env: testEnv({ LOG_FORMAT: 'json', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const { output, exited } = watchChild(child);
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
  });
  return { process: child, output, exited };
}

async function brokerAndWatcher(): Promise<{ broker: TestBroker; watcher: RecordingClient }> {
  const broker = await startTestBroker({ servicePassword: SERVICE_PASSWORD });
  cleanups.push(() => broker.close(100));
  const watcher = await RecordingClient.connect(broker.url);
  cleanups.push(() => watcher.close());
  await watcher.subscribe('openwest/status/mapper');
  return { broker, watcher };
}

/** The supervisor's children other than the running service (the standby), from /proc. */
function standbyOf(supervisorPid: number): boolean {
  const children = readFileSync(`/proc/${supervisorPid}/task/${supervisorPid}/children`, 'utf8')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  return children.length >= 2;
}

const statuses = (watcher: RecordingClient) => watcher.on('openwest/status/mapper').map((m) => m.json<Status>());
const mapper = ['node', 'dist/services/mapper/main.js'];

describe('the supervisor each Procfile line runs its service under', () => {
  it.each([
    ['its warm standby takes over', '1', 'standby pid \\d+ takes over'],
    ['it is started again (no standby)', '0', 'restarting in \\d+ ms'],
  ])(
    'brings back a service killed with SIGKILL: offline, then online with a new pid; %s',
    async (_how, standby, line) => {
      const { broker, watcher } = await brokerAndWatcher();
      const run = supervise(mapper, {
        MQTT_URL: broker.url,
        SERVICE_PASSWORD,
        SUPERVISE_STANDBY: standby,
        STANDBY_DELAY_MS: '1000',
      });
      // the standby is started a second after the service: wait until it has loaded
      if (standby === '1') await waitFor('the standby', () => standbyOf(run.process.pid!), 10_000);
      const first = await waitFor('mapper online', () => statuses(watcher).find((s) => s.state === 'online'), 20_000);

      const killedAt = performance.now();
      process.kill(first.pid, 'SIGKILL');
      await waitFor('offline from the Last Will', () =>
        statuses(watcher).find((s) => s.state === 'offline' && s.pid === first.pid),
      );
      const second = await waitFor(
        'online again',
        () => statuses(watcher).find((s) => s.state === 'online' && s.pid !== first.pid),
        20_000,
      );
      testLog('supervise').info(
        `mapper back online ${Math.round(performance.now() - killedAt)} ms after kill -9 (standby ${standby})`,
      );
      expect(run.output()).toMatch(new RegExp(`supervise mapper: pid ${first.pid} was killed by SIGKILL; ${line}`));

      run.process.kill('SIGINT');
      expect(await run.exited).toBe(0);
      expect(statuses(watcher).at(-1)).toMatchObject({ state: 'offline', pid: second.pid });
      expect(alive(second.pid)).toBe(false);
    },
  );

  it('stops its service gracefully when the supervisor itself is killed', async () => {
    const { broker, watcher } = await brokerAndWatcher();
    const run = supervise(mapper, { MQTT_URL: broker.url, SERVICE_PASSWORD });
    const online = await waitFor('mapper online', () => statuses(watcher).find((s) => s.state === 'online'), 20_000);
    run.process.kill('SIGKILL');
    await waitFor('the orphaned mapper to stop', () => !alive(online.pid), 10_000);
    expect(statuses(watcher).at(-1)).toMatchObject({ state: 'offline', pid: online.pid });
  });

  it('does not restart a service that stops on a bad setting, and exits with its code 2', async () => {
    const run = supervise(mapper, { MQTT_PORT: '70000' });
    expect(await run.exited).toBe(2);
    expect(run.output()).toMatch(/MQTT_PORT: Too big/);
    expect(run.output()).toMatch(/exited with code 2 \(configuration error\): not restarting/);
    expect(run.output().match(/MQTT_PORT: Too big/g)).toHaveLength(1);
  });

  it('gives up on a service that keeps dying right after it starts', async () => {
    const run = supervise(['node', '-e', 'process.exit(1)'], { RESTART_DELAY_MS: '10', MAX_QUICK_RESTARTS: '3' });
    expect(await run.exited).toBe(1);
    expect(run.output().match(/restarting in/g)).toHaveLength(3);
    expect(run.output()).toMatch(/4 times in a row within 2 s of starting: giving up/);
  });
});
