import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NoteEvent, PlayedEvent, Rejection, Status } from '../../shared/contract/contract.js';
import { mosquittoPub, mosquittoSub, type Subscriber } from '../helpers/mosquitto-cli.js';
import { freePort } from '../helpers/ports.js';
import { alive, startProcfile, waitForOutput, type Foreman } from '../helpers/procfile.js';
import { waitFor } from '../helpers/wait.js';

// `npm start` as a newcomer runs it (after the build `npm test` already did): the Procfile
// through node-foreman, embedded broker, played with Debian's mosquitto clients.
let port: number;
let foreman: Foreman;
let sub: Subscriber;
const pids = new Map<string, number>();

beforeAll(async () => {
  port = await freePort();
  foreman = await startProcfile({
    MQTT_PORT: String(port),
    MQTT_WS_PORT: String(await freePort()),
    BIND_HOST: '127.0.0.1',
    SYNTH_OUTPUT: 'none',
  });
  await waitForOutput(foreman, 'broker ready', 20_000);
  sub = await mosquittoSub(port, ['openwest/#']);
  for (const service of ['broker', 'mapper', 'synth']) {
    const status = await sub.next(`openwest/status/${service}`, (p) => p.includes('"online"'), 20_000);
    pids.set(service, (JSON.parse(status) as Status).pid);
  }
});

afterAll(async () => {
  sub?.stop();
  await foreman?.kill();
});

describe('npm start (Procfile under node-foreman, embedded broker)', () => {
  it('prints once where to connect and what to publish', () => {
    const out = foreman.output();
    expect(out).toContain(`mqtt://127.0.0.1:${port}`);
    expect(out).toMatch(/ws:\/\/127\.0\.0\.1:\d+/);
    expect(out).toContain(`mosquitto_pub -h 127.0.0.1 -p ${port} -t openwest/instruments/1 -m 62`);
    expect(out.split('broker ready').length - 1).toBe(1);
  });

  it('turns mosquitto_pub 62 into a D4 note event and then a played event', async () => {
    await mosquittoPub(port, 'openwest/instruments/1', '62');
    const note = JSON.parse(await sub.next('openwest/notes/1')) as NoteEvent;
    expect(note).toMatchObject({ instrument: 1, value: 62, note: 62, name: 'D4', channel: 1 });
    for (const field of ['program', 'velocity', 'durationMs', 'seq', 'receivedAt']) expect(note).toHaveProperty(field);
    const played = JSON.parse(await sub.next('openwest/played/1')) as PlayedEvent;
    expect(played).toMatchObject({ ...note, output: 'none' });
    expect(played.playedAt).toBeGreaterThanOrEqual(note.receivedAt);
  });

  it('answers bad input with a reason on errors, and keeps playing', async () => {
    const bad: [string, string | null][] = [
      ['openwest/instruments/1', 'abc'],
      ['openwest/instruments/1', '95'],
      ['openwest/instruments/1', null],
      ['openwest/instruments/1', 'x'.repeat(100)],
      ['openwest/instruments/0', '60'],
      ['openwest/instruments/17', '60'],
      ['openwest/instruments/01', '60'],
      ['openwest/instruments/1a', '60'],
      ['openwest/instruments/1/2', '60'],
    ];
    const errorsBefore = sub.messages('openwest/errors').length;
    const notesBefore = sub.lines.filter((l) => l.startsWith('openwest/notes/')).length;
    for (const [topic, message] of bad) await mosquittoPub(port, topic, message);
    await mosquittoPub(port, 'openwest/instruments/2', '64');
    await sub.next('openwest/played/2');
    const errors = await waitFor('one rejection per bad message', () => {
      const all = sub.messages('openwest/errors').slice(errorsBefore);
      return all.length >= bad.length && all.map((e) => JSON.parse(e) as Rejection);
    });
    expect(errors).toHaveLength(bad.length);
    expect(errors.map((e) => e.topic)).toEqual(bad.map(([topic]) => topic));
    for (const e of errors) {
      expect(e.service).toBe('mapper');
      expect(e.reason.length).toBeGreaterThan(5);
      expect(e.payload.length).toBeLessThanOrEqual(64);
      expect(typeof e.at).toBe('number');
    }
    const notesAfter = sub.lines.filter((l) => l.startsWith('openwest/notes/'));
    expect(notesAfter.length - notesBefore).toBe(1);
  });

  it('stops everything on Ctrl-C within a few seconds, each service saying offline first', async () => {
    // How fast is a figure of the bench, not a test on a shared machine; stop() fails after 20 s.
    const { code } = await foreman.stop('SIGINT', 20_000);
    expect(code === 0 || code === null || code === 130).toBe(true);
    for (const [service, pid] of pids) {
      expect(alive(pid), `${service} (pid ${pid}) still running`).toBe(false);
      const offline = sub.messages(`openwest/status/${service}`).map((p) => JSON.parse(p) as Status);
      expect(offline.at(-1)).toMatchObject({ service, state: 'offline', pid });
    }
  });
});
