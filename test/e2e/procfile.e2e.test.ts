import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  REJECTED_PAYLOAD_MAX_CHARS,
  type NoteEvent,
  type PlayedEvent,
  type Rejection,
  type Status,
} from '../../shared/contract/contract.js';
import { pageConfigSchema } from '../../shared/contract/page-config.js';
import { defaultInstruments } from '../../services/mapper/instruments.js';
import { mapValue } from '../../services/mapper/map-value.js';
import { mosquittoPub, mosquittoSub, type Subscriber } from '../helpers/mosquitto-cli.js';
import { freePort } from '../helpers/ports.js';
import { alive, repoRoot, startProcfile, waitForOutput, type Foreman } from '../helpers/procfile.js';
import { startPtyPair, type PtyPair } from '../helpers/socat.js';
import { sleep, waitFor } from '../helpers/wait.js';

// One show for every check that only plays and watches, started once: `npm start` as a newcomer
// runs it (the Procfile under node-foreman, embedded broker, after the build `npm test` already
// did), with a service password as `npm start` writes one to `.env` first, and a knob board on a
// serial port (socat's pseudo-terminal, named by SERIAL_PORT; SENSOR_SOURCE stays `auto`). The
// test is the audience: Debian's mosquitto clients, with no login. Tests that kill a service,
// change `.env` or need other settings start shows of their own (test/e2e/*, test/faults/*).
const SERVICE_PASSWORD = 'npm-start-secret';
const SERVICES = ['broker', 'mapper', 'synth', 'sensor', 'visualiser'];
let port: number;
let wsPort: number;
let pagePort: number;
let pty: PtyPair;
let foreman: Foreman;
let sub: Subscriber;
const pids = new Map<string, number>();

beforeAll(async () => {
  pty = await startPtyPair();
  [port, wsPort, pagePort] = [await freePort(), await freePort(), await freePort()];
  foreman = await startProcfile({
    MQTT_PORT: String(port),
    MQTT_WS_PORT: String(wsPort),
    VISUALISER_PORT: String(pagePort),
    BIND_HOST: '127.0.0.1',
    SYNTH_OUTPUT: 'none',
    SERIAL_PORT: pty.device,
    SERVICE_PASSWORD,
  });
  await waitForOutput(foreman, 'broker ready', 30_000);
  sub = await mosquittoSub(port, ['openwest/#']);
  for (const service of SERVICES) {
    const status = await sub.next(`openwest/status/${service}`, (p) => p.includes('"online"'), 30_000);
    pids.set(service, (JSON.parse(status) as Status).pid);
  }
  // Online comes before the subscriptions: a value sent in between reaches no mapper (QoS 0).
  await waitForOutput(foreman, 'subscribed to openwest/instruments/#', 30_000);
  await waitForOutput(foreman, 'subscribed to openwest/notes/+', 30_000);
}, 90_000);

afterAll(async () => {
  sub?.stop();
  await foreman?.kill();
  await pty?.stop();
});

/** The broker reports at most 5 refusals a second (ERROR_REPORTS_PER_S): one report's worth. */
const REPORT_INTERVAL_MS = 200;

/** Publishes as the audience and waits for the reason on `errors` that names this topic and payload. */
async function refusal(topic: string, payload: string | null, extra: string[] = []): Promise<Rejection> {
  await sleep(REPORT_INTERVAL_MS);
  const seen = sub.messages('openwest/errors').length;
  await mosquittoPub(port, topic, payload, extra);
  const sent = (payload ?? '').slice(0, REJECTED_PAYLOAD_MAX_CHARS);
  const report = await waitFor(`a rejection of ${topic} ${JSON.stringify(sent)}`, () =>
    sub
      .messages('openwest/errors')
      .slice(seen)
      .map((e) => JSON.parse(e) as Rejection)
      .find((e) => e.topic === topic && e.payload === sent),
  );
  return report;
}

/** The shell lines of the README's "How to play", comments cut. */
function readmeHowToPlay(): string[] {
  const section = readFileSync(resolve(repoRoot, 'README.md'), 'utf8').split('## How to play')[1] ?? '';
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return block
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter(Boolean);
}

const notesSoFar = () => sub.lines.filter((l) => l.startsWith('openwest/notes/')).length;

/**
 * A value played on instrument 2 after everything sent before it has been handled. Consecutive
 * calls must give values of different notes on the bass (minor pentatonic): the same note again
 * within its retriggerMs is dropped.
 */
async function playsAfterwards(value: string) {
  await mosquittoPub(port, 'openwest/instruments/2', value);
  await sub.next('openwest/played/2', (p) => p.includes(`"value":${value},`), 15_000);
}

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
    expect(note).toMatchObject({ instrument: 1, value: 62, note: 62, name: 'D4', channel: 1, source: 'audience' });
    for (const field of ['program', 'velocity', 'durationMs', 'seq', 'receivedAt']) expect(note).toHaveProperty(field);
    const played = JSON.parse(await sub.next('openwest/played/1')) as PlayedEvent;
    expect(played).toMatchObject({ ...note, output: 'none' });
    expect(played.playedAt).toBeGreaterThanOrEqual(note.receivedAt);
  });

  it('plays what the README shows, run as written: one value, a melody in a loop, a chord', async () => {
    const commands = readmeHowToPlay();
    expect(commands.length, 'the README shows a value, a loop and a chord').toBe(3);
    for (const command of commands) {
      const values = /for v in ([\d ]+);/.exec(command)?.[1]?.split(' ') ?? [/-m (\d+)/.exec(command)?.[1] ?? ''];
      const seen = sub.messages('openwest/notes/1').length;
      await promisify(execFile)('sh', ['-c', command.replaceAll('-h 192.168.1.20', `-h 127.0.0.1 -p ${port}`)]);
      const played = () =>
        sub
          .messages('openwest/notes/1')
          .slice(seen)
          .map((p) => String((JSON.parse(p) as NoteEvent).value));
      await waitFor(`every note of: ${command}`, () => values.every((v) => played().includes(v)), 15_000);
      expect(played().sort()).toEqual([...values].sort());
    }
  });

  it('answers bad input with a reason on errors, and keeps playing', async () => {
    // The broker turns away what the audience may not send; the mapper what makes no note.
    const bad: [string, string | null, 'broker' | 'mapper', RegExp][] = [
      ['openwest/instruments/1', 'abc', 'mapper', /not a number/],
      ['openwest/instruments/1', '95', 'mapper', /out of range/],
      ['openwest/instruments/1', null, 'mapper', /empty payload/],
      ['openwest/instruments/1', 'x'.repeat(100), 'broker', /100 bytes is over the 16-byte limit/],
      ['openwest/instruments/0', '60', 'broker', /instruments\/\{1\.\.16\}/],
      ['openwest/instruments/17', '60', 'broker', /instruments\/\{1\.\.16\}/],
      ['openwest/instruments/01', '60', 'broker', /instruments\/\{1\.\.16\}/],
      ['openwest/instruments/1a', '60', 'broker', /instruments\/\{1\.\.16\}/],
      ['openwest/instruments/1/2', '60', 'broker', /instruments\/\{1\.\.16\}/],
    ];
    const notesBefore = notesSoFar();
    for (const [topic, message, service, reason] of bad) {
      const e = await refusal(topic, message);
      expect({ topic, service: e.service }).toEqual({ topic, service });
      expect(e.reason).toMatch(reason);
      expect(e.payload.length).toBeLessThanOrEqual(REJECTED_PAYLOAD_MAX_CHARS);
      expect(typeof e.at).toBe('number');
    }
    await playsAfterwards('64');
    expect(notesSoFar() - notesBefore).toBe(1);
  });
});

describe('the audience, when npm start has set a service password', () => {
  it('may play and watch, nothing else: notes, the performer’s lane, status, panic, retained and QoS 2 are refused', async () => {
    const attempts: [string, string, string[], RegExp][] = [
      ['openwest/notes/1', '60', [], /may only publish to openwest\/instruments/],
      ['openwest/performer/1', '62', [], /may only publish to openwest\/instruments/],
      ['openwest/status/mapper', 'x', [], /may only publish to openwest\/instruments/],
      ['openwest/panic', '1', [], /may only publish to openwest\/instruments/],
      ['openwest/instruments/1', '62', ['-r'], /retained messages are not allowed/],
      ['openwest/instruments/1', '62', ['-q', '2'], /QoS 2 is not allowed/],
    ];
    const notesBefore = notesSoFar();
    for (const [topic, message, extra, reason] of attempts) {
      const e = await refusal(topic, message, extra);
      expect({ topic, extra, service: e.service }).toEqual({ topic, extra, service: 'broker' });
      expect(e.reason).toMatch(reason);
      expect(e.clientId, 'a salted tag, not the client id').toMatch(/^c-[\w-]+$/);
    }
    await playsAfterwards('66');
    expect(notesSoFar() - notesBefore, 'only the value played afterwards made a note').toBe(1);
    expect(sub.messages('openwest/status/mapper')).not.toContain('x');
  });

  it('is refused at the door with a wrong service password or a client id of the services', async () => {
    await expect(
      mosquittoPub(port, 'openwest/instruments/1', '62', ['-u', 'service', '-P', 'a-guess']),
    ).rejects.toThrow(/not authori[sz]ed|bad user name or password/i);
    await expect(mosquittoPub(port, 'openwest/instruments/1', '62', ['-i', 'mapper-takeover'])).rejects.toThrow(
      /identifier rejected/i,
    );
    // The mapper kept its connection: it still plays (69 is A3 on the bass: 67 would be G3 again, the
    // previous test's last note, and the same note again within retriggerMs is dropped).
    await playsAfterwards('69');
    expect(sub.messages('openwest/status/mapper').map((p) => (JSON.parse(p) as Status).state)).not.toContain('offline');
  });
});

describe('visualiser under foreman (npm start)', () => {
  it('serves the built page on VISUALISER_PORT and points browsers at the broker WebSocket', async () => {
    await waitForOutput(foreman, `page: http://127.0.0.1:${pagePort}/`, 30_000);
    // foreman's prefixes would garble a terminal QR code: the banner points at the stage's instead.
    expect(foreman.output()).toContain(`stage: http://127.0.0.1:${pagePort}/stage/`);
    expect(foreman.output()).not.toContain('scan to open');

    const page = await fetch(`http://127.0.0.1:${pagePort}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<title>OpenWest instruments</title>');
    const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script, 'the built page links its bundle').toBeDefined();
    expect((await fetch(`http://127.0.0.1:${pagePort}/${script}`)).status).toBe(200);

    const config = pageConfigSchema
      .strict()
      .parse(await (await fetch(`http://127.0.0.1:${pagePort}/config.json`)).json());
    expect(config).toMatchObject({ prefix: 'openwest', wsPort });
    expect(config.mqttUrl, 'no fixed broker: the page connects to the embedded one').toBeUndefined();
    expect([undefined, `http://127.0.0.1:${pagePort}/`], 'the join address, if any, is this page').toContain(
      config.joinUrl,
    );
  });
});

describe('sensor reader in the Procfile', () => {
  it('plays a knob turned on a serial board through every service that npm start runs', async () => {
    await waitForOutput(foreman, `reading knobs from ${pty.device}`, 60_000);
    pty.send('#openwest-knobs 1 knobs=6\r\n2:1023\r\n');
    const played = JSON.parse(await sub.next('openwest/played/3', () => true, 30_000)) as Record<string, unknown>;
    expect(played).toMatchObject({
      instrument: 3,
      value: 90,
      note: mapValue(defaultInstruments[2]!, 90),
      output: 'none',
      source: 'performer',
    });
  });
});

describe('npm start, stopped', () => {
  // Last: it ends the shared show.
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
