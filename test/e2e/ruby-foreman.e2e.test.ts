import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import type { PlayedEvent, Status } from '../../shared/contract/contract.js';
import { mosquittoPub, mosquittoSub, type Subscriber } from '../helpers/mosquitto-cli.js';
import { freePort } from '../helpers/ports.js';
import { envFile, testEnv } from '../helpers/env.js';
import { alive, LOADED_MACHINE_STALE_MS, repoRoot } from '../helpers/procfile.js';
import { waitFor } from '../helpers/wait.js';
import { watchChild } from '../helpers/child-output.js';

let sub: Subscriber | undefined;
let foremanPid: number | undefined;

afterAll(() => {
  sub?.stop();
  try {
    if (foremanPid) process.kill(-foremanPid, 'SIGKILL');
  } catch {
    // gone
  }
});

// A show of its own: another foreman runs it (the shared show is node-foreman's, as `npm start` runs it).
describe("the same Procfile under Debian's Ruby foreman", () => {
  it('starts, plays D4, and stops cleanly on SIGINT', async () => {
    const port = await freePort();
    const child = spawn('foreman', ['start', '-f', 'Procfile', '-d', '.', '-e', envFile()], {
      cwd: repoRoot,
      env: testEnv({
        MQTT_PORT: String(port),
        MQTT_WS_PORT: String(await freePort()),
        VISUALISER_PORT: String(await freePort()),
        BIND_HOST: '127.0.0.1',
        SYNTH_OUTPUT: 'none',
        LOG_FORMAT: 'json',
        STALE_AFTER_MS: LOADED_MACHINE_STALE_MS,
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    foremanPid = child.pid;
    const { output, exited } = watchChild(child);

    await waitFor('broker ready', () => output().includes('broker ready'), 20_000);
    sub = await mosquittoSub(port, ['openwest/#']);
    const pids: number[] = [];
    for (const service of ['mapper', 'synth']) {
      const status = await sub.next(`openwest/status/${service}`, (p) => p.includes('"online"'), 20_000);
      pids.push((JSON.parse(status) as Status).pid);
    }
    // Online comes before the subscriptions: a value sent in between reaches no mapper (QoS 0).
    for (const filter of ['openwest/instruments/#', 'openwest/notes/+'])
      await waitFor(`subscribed to ${filter}`, () => output().includes(`subscribed to ${filter}`), 20_000);
    await mosquittoPub(port, 'openwest/instruments/1', '62');
    expect(JSON.parse(await sub.next('openwest/played/1'))).toMatchObject({
      name: 'D4',
      channel: 1,
    } satisfies Partial<PlayedEvent>);

    child.kill('SIGINT');
    await exited;
    await waitFor('every service gone', () => !pids.some(alive), 5_000);
    for (const service of ['mapper', 'synth']) {
      expect(sub.messages(`openwest/status/${service}`).at(-1)).toContain('"offline"');
    }
  });
});
