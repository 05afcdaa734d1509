import { limitsEnv } from '../../services/broker/limits.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { Status } from '../../shared/contract/contract.js';
import { mosquittoSub, type Subscriber } from '../helpers/mosquitto-cli.js';
import { freePort } from '../helpers/ports.js';
import { startServiceProcess, type ServiceProcess } from '../helpers/service-process.js';
import { waitFor } from '../helpers/wait.js';

const running: ServiceProcess[] = [];
let sub: Subscriber | undefined;

afterEach(() => {
  sub?.stop();
  for (const p of running.splice(0)) p.kill();
});

describe('status and Last Will (built services as separate processes, embedded broker)', () => {
  it('shows offline at once when a service is killed with kill -9, and online again when it is back', async () => {
    const port = await freePort();
    const env = { MQTT_PORT: String(port), MQTT_WS_PORT: String(await freePort()), BIND_HOST: '127.0.0.1' };
    const broker = startServiceProcess('broker', env);
    running.push(broker);
    await waitFor('the broker to listen', () => broker.output().includes('broker ready'), 15_000);
    const mapper = startServiceProcess('mapper', env);
    running.push(mapper);
    sub = await mosquittoSub(port, ['openwest/status/+']);
    const online = JSON.parse(
      await sub.next('openwest/status/mapper', (p) => p.includes('"online"'), 15_000),
    ) as Status;
    expect(online).toMatchObject({ service: 'mapper', state: 'online', pid: mapper.process.pid });

    mapper.kill('SIGKILL');
    const offline = JSON.parse(
      await sub.next('openwest/status/mapper', (p) => p.includes('"offline"'), 5_000),
    ) as Status;
    expect(offline).toEqual({ ...online, state: 'offline' });

    const again = startServiceProcess('mapper', env);
    running.push(again);
    await sub.next(
      'openwest/status/mapper',
      (p) => p.includes(`"pid":${again.process.pid}`) && p.includes('"online"'),
      15_000,
    );

    // A late subscriber sees the retained status, not a stale one.
    const late = await mosquittoSub(port, ['openwest/status/mapper']);
    try {
      const retained = JSON.parse(await late.next('openwest/status/mapper')) as Status;
      expect(retained).toMatchObject({ state: 'online', pid: again.process.pid });
    } finally {
      late.stop();
    }
  });

  it('a bad setting stops start-up naming the variable and the reason', async () => {
    const mapper = startServiceProcess('mapper', { MQTT_PORT: '70000', TOPIC_PREFIX: 'bad prefix' });
    running.push(mapper);
    expect(await mapper.exited).toBe(2);
    expect(mapper.output()).toMatch(/MQTT_PORT: .*65535.*got "70000"/);
    expect(mapper.output()).toMatch(/TOPIC_PREFIX: .*got "bad prefix"/);
  });

  it('answers --help without connecting anywhere', async () => {
    for (const name of ['broker', 'mapper', 'synth']) {
      const p = startServiceProcess(name, {}, ['--help']);
      const code = await p.exited;
      expect(code, p.output()).toBe(0);
      expect(p.output()).toMatch(/OpenWest/);
    }
    // the broker's list of limits comes from its schema: every one is there, with its default
    const broker = startServiceProcess('broker', {}, ['--help']);
    await broker.exited;
    for (const [name, value] of Object.entries(limitsEnv.parse({})))
      expect(broker.output()).toContain(`${name} (${String(value)})`);
  });
});
