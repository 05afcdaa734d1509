import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NoteEvent, PlayedEvent, Rejection, Status } from '../../shared/contract/contract.js';
import { startMosquitto, type Mosquitto } from '../helpers/mosquitto.js';
import { mosquittoPub, mosquittoSub, type Subscriber } from '../helpers/mosquitto-cli.js';
import { freePort } from '../helpers/ports.js';
import { alive, startProcfile, waitForOutput, type Foreman } from '../helpers/procfile.js';

// The same Procfile pointed at Debian's Mosquitto with MQTT_URL: no embedded broker runs.
// A show of its own: other settings (MQTT_URL), and it kills the synth.
let mosquitto: Mosquitto;
let foreman: Foreman;
let sub: Subscriber;
const pids = new Map<string, number>();

beforeAll(async () => {
  mosquitto = await startMosquitto();
  foreman = await startProcfile({
    MQTT_URL: mosquitto.url,
    MQTT_PORT: String(await freePort()),
    MQTT_WS_PORT: String(await freePort()),
    BIND_HOST: '127.0.0.1',
    SYNTH_OUTPUT: 'none',
  });
  sub = await mosquittoSub(mosquitto.port, ['openwest/#']);
  for (const service of ['mapper', 'synth']) {
    const status = await sub.next(`openwest/status/${service}`, (p) => p.includes('"online"'), 20_000);
    pids.set(service, (JSON.parse(status) as Status).pid);
  }
  // Online comes before the subscriptions: a value sent in between reaches no mapper (QoS 0).
  await waitForOutput(foreman, 'subscribed to openwest/instruments/#', 20_000);
  await waitForOutput(foreman, 'subscribed to openwest/notes/+', 20_000);
});

afterAll(async () => {
  sub?.stop();
  await foreman?.kill();
  await mosquitto?.stop();
});

describe('services against Mosquitto (MQTT_URL)', () => {
  it('does not start the embedded broker and says so', async () => {
    await waitForOutput(foreman, 'the embedded broker is not started');
    expect(foreman.output()).not.toContain('broker ready');
  });

  it('plays D4 and rejects abc through Mosquitto', async () => {
    await mosquittoPub(mosquitto.port, 'openwest/instruments/1', 'abc');
    await mosquittoPub(mosquitto.port, 'openwest/instruments/1', '62');
    const rejection = JSON.parse(await sub.next('openwest/errors')) as Rejection;
    expect(rejection).toMatchObject({ service: 'mapper', payload: 'abc' });
    const note = JSON.parse(await sub.next('openwest/notes/1')) as NoteEvent;
    expect(note).toMatchObject({ note: 62, name: 'D4', channel: 1, instrument: 1 });
    const played = JSON.parse(await sub.next('openwest/played/1')) as PlayedEvent;
    expect(played).toMatchObject({ ...note, output: 'none' });
  });

  it('shows a killed service offline at once through its Last Will, and the supervisor brings it back', async () => {
    const synthPid = pids.get('synth')!;
    const mapperPid = pids.get('mapper')!;
    process.kill(synthPid, 'SIGKILL');
    const offline = JSON.parse(
      await sub.next('openwest/status/synth', (p) => p.includes('"offline"'), 5_000),
    ) as Status;
    expect(offline).toMatchObject({ service: 'synth', state: 'offline', pid: synthPid });
    const back = JSON.parse(
      await sub.next(
        'openwest/status/synth',
        (p) => p.includes('"online"') && !p.includes(`"pid":${synthPid},`),
        15_000,
      ),
    ) as Status;
    expect(back.pid).not.toBe(synthPid);
    // node-foreman did not take the others down with it (docs/services/broker.md).
    expect(alive(mapperPid)).toBe(true);
    await mosquittoPub(mosquitto.port, 'openwest/instruments/1', '64');
    expect(JSON.parse(await sub.next('openwest/played/1', (p) => p.includes('"note":64')))).toMatchObject({ note: 64 });
  });
});
