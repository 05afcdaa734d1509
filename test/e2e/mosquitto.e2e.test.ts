import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NoteEvent, PlayedEvent, Rejection, Status } from '../../shared/contract.js';
import { startMosquitto, type Mosquitto } from '../helpers/mosquitto.js';
import { mosquittoPub, mosquittoSub, type Subscriber } from '../helpers/mosquitto-cli.js';
import { freePort } from '../helpers/ports.js';
import { alive, startProcfile, waitForOutput, type Foreman } from '../helpers/procfile.js';
import { waitFor } from '../helpers/wait.js';

// The same Procfile pointed at Debian's Mosquitto with MQTT_URL: no embedded broker runs.
let mosquitto: Mosquitto;
let foreman: Foreman;
let sub: Subscriber;
const pids = new Map<string, number>();

beforeAll(async () => {
  mosquitto = await startMosquitto();
  foreman = startProcfile({
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
});

afterAll(async () => {
  sub?.stop();
  foreman?.kill();
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

  it('shows a killed service offline at once through its Last Will', async () => {
    const synthPid = pids.get('synth')!;
    process.kill(synthPid, 'SIGKILL');
    const offline = JSON.parse(
      await sub.next('openwest/status/synth', (p) => p.includes('"offline"'), 5_000),
    ) as Status;
    expect(offline).toMatchObject({ service: 'synth', state: 'offline', pid: synthPid });
    // node-foreman then takes the other processes down (see README, "Faults").
    await waitFor('foreman to stop the rest', () => ![...pids.values()].some(alive), 10_000);
    const retained = await mosquittoSub(mosquitto.port, ['openwest/status/synth']);
    try {
      expect(JSON.parse(await retained.next('openwest/status/synth'))).toMatchObject({ state: 'offline', pid: synthPid });
    } finally {
      retained.stop();
    }
  });
});
