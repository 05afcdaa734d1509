import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { startMosquitto } from '../helpers/mosquitto.js';
import { repoRoot } from '../helpers/procfile.js';
import { waitFor } from '../helpers/wait.js';
import { BENCH_ENV, RawClient } from './raw-mqtt.js';
import { testEnv } from '../helpers/env.js';

/** A process the bench started: its pid for CPU/RSS readings, and how to stop it. */
export interface Started {
  readonly pid: number;
  readonly label: string;
  /** The last lines it printed, and how it exited if it did: for a failure's message. */
  said?(): string;
  stop(): Promise<void>;
}

export interface BrokerUnderTest extends Started {
  readonly port: number;
  readonly url: string;
  readonly kind: 'aedes' | 'mosquitto';
  /** MQTT over WebSocket, for web pages (the embedded broker's). */
  readonly wsPort?: number;
}

const tail = (child: ChildProcess) => {
  let text = '';
  const keep = (chunk: Buffer) => {
    text = (text + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.once('exit', (code, signal) => (text += `\n[exited: ${signal ?? `code ${code}`}]`));
  return () => text;
};

function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGINT', timeoutMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    child.kill(signal);
  });
}

/** With BENCH_CPU_PROF=DIR every service process writes a V8 CPU profile there when it stops. */
const profiling = (): string[] =>
  process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [];

function spawnNode(args: string[], env: Record<string, string>, ipc = false): ChildProcess {
  return spawn(process.execPath, [...profiling(), ...args], {
    cwd: repoRoot,
    env: testEnv(env),
    stdio: ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
}

export const canConnect = (port: number): Promise<boolean> =>
  new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });

/**
 * The embedded broker as on stage: `node dist/services/broker/main.js`, on ports the OS picks
 * (read back from its "broker ready" banner, so no other program can take them in between).
 */
export async function startEmbeddedBroker(extraEnv: Record<string, string> = {}): Promise<BrokerUnderTest> {
  const child = spawnNode([resolve(repoRoot, 'dist/services/broker/main.js')], {
    BIND_HOST: '127.0.0.1',
    MQTT_PORT: '0',
    MQTT_WS_PORT: '0',
    ...BENCH_ENV,
    ...extraEnv,
  });
  const said = tail(child);
  const [port, wsPort] = await waitFor(
    `the embedded broker's banner (${said()})`,
    () => {
      if (child.exitCode !== null) throw new Error(`the embedded broker exited: ${said()}`);
      const mqtt = /MQTT:\s+mqtt:\/\/127\.0\.0\.1:(\d+)/.exec(said());
      const ws = /WebSocket:\s+ws:\/\/127\.0\.0\.1:(\d+)/.exec(said());
      return mqtt && ws ? [Number(mqtt[1]), Number(ws[1])] : undefined;
    },
    20_000,
    20,
  );
  return {
    kind: 'aedes',
    label: 'aedes (embedded broker)',
    pid: child.pid!,
    port,
    wsPort,
    url: `mqtt://127.0.0.1:${port}`,
    said,
    stop: () => stopChild(child, 'SIGINT'),
  };
}

/** Debian's Mosquitto on a free loopback port. */
export async function startMosquittoBroker(): Promise<BrokerUnderTest> {
  const mosquitto = await startMosquitto();
  return {
    kind: 'mosquitto',
    label: 'Mosquitto',
    pid: mosquitto.process.pid!,
    port: mosquitto.port,
    url: mosquitto.url,
    stop: () => mosquitto.stop(),
  };
}

/** Waits until `service` has published its retained `online` status with this pid. */
async function waitOnline(port: number, service: string, pid: number, said: () => string): Promise<void> {
  const watcher = await RawClient.service(port, `bench-watch-${service}-${pid}`);
  let online = false;
  try {
    await watcher.subscribe(`openwest/status/${service}`, (_topic, payload) => {
      const status = JSON.parse(payload.toString('utf8')) as { state: string; pid: number };
      if (status.state === 'online' && status.pid === pid) online = true;
    });
    await waitFor(`${service} (pid ${pid}) online (${said()})`, () => online, 30_000, 20);
  } finally {
    await watcher.close();
  }
}

/**
 * The default instrument table with every per-instrument rate limit off (the bench measures how
 * fast values go through, not the stage policy that drops values arriving too fast), chromatic
 * and untransposed so each note on names the value that caused it.
 */
function unthrottledInstrumentsFile(): string {
  const instruments = Object.fromEntries(
    Array.from({ length: 16 }, (_, i) => [
      String(i + 1),
      { retriggerMs: 0, maxNotesPerSecond: 0, scale: 'chromatic', transpose: 0 },
    ]),
  );
  const file = join(mkdtempSync(join(tmpdir(), 'openwest-bench-')), 'instruments.json');
  writeFileSync(file, JSON.stringify({ instruments }));
  return file;
}

/** The mapper as on stage: `node dist/services/mapper/main.js` pointed at the broker under test. */
export async function startMapperProcess(
  broker: BrokerUnderTest,
  extraEnv: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<Started> {
  const child = spawnNode([...nodeArgs, resolve(repoRoot, 'dist/services/mapper/main.js')], {
    MQTT_URL: broker.url,
    SERVICE_PASSWORD: BENCH_ENV.SERVICE_PASSWORD,
    INSTRUMENTS_FILE: unthrottledInstrumentsFile(),
    ...extraEnv,
  });
  const said = tail(child);
  await waitOnline(broker.port, 'mapper', child.pid!, said);
  return { label: 'mapper', pid: child.pid!, said, stop: () => stopChild(child) };
}

export interface SynthHost extends Started {
  /** Every note on the synth handed to its output since the last call: channel, note, monotonic ms. */
  drain(): Promise<{ channel: number; note: number; at: number }[]>;
}

/**
 * The synth's own `startSynth` in a process of its own (as `main.ts` runs it), with an output that
 * stamps each note on with the monotonic clock. `recordChannels` limits what it keeps.
 */
export async function startSynthHost(
  broker: BrokerUnderTest,
  recordChannels: number[] = [],
  nodeArgs: string[] = [],
): Promise<SynthHost> {
  const child = spawnNode(
    ['--import', 'tsx', ...nodeArgs, resolve(repoRoot, 'test/bench/synth-host.ts')],
    {
      MQTT_URL: broker.url,
      SERVICE_PASSWORD: BENCH_ENV.SERVICE_PASSWORD,
      STATS_INTERVAL_MS: BENCH_ENV.STATS_INTERVAL_MS,
      RECORD_CHANNELS: recordChannels.join(','),
    },
    true,
  );
  const said = tail(child);
  await waitOnline(broker.port, 'synth', child.pid!, said);
  let waiting: ((data: number[]) => void) | undefined;
  child.on('message', (m: { kind: string; data: number[] }) => {
    if (m.kind === 'noteOns') waiting?.(m.data);
  });
  return {
    label: 'synth',
    pid: child.pid!,
    said,
    drain: () =>
      new Promise((done) => {
        waiting = (data) => {
          const out: { channel: number; note: number; at: number }[] = [];
          for (let i = 0; i < data.length; i += 3)
            out.push({ channel: data[i]!, note: data[i + 1]!, at: data[i + 2]! });
          done(out);
        };
        child.send('drain');
      }),
    stop: () => stopChild(child),
  };
}

export interface ProcSample {
  cpuSeconds: number;
  rssMiB: number;
  peakRssMiB: number;
}

const TICKS_PER_SECOND = 100;

/** CPU time used so far and resident memory of a process, from /proc. */
export function procSample(pid: number): ProcSample {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { cpuSeconds, rssMiB: kib('VmRSS') / 1024, peakRssMiB: kib('VmHWM') / 1024 };
}

/** CPU use (% of one core) and memory of a process over a stretch of time. */
export function cpuMeter(process: Started) {
  const sample = () => {
    try {
      return procSample(process.pid);
    } catch {
      throw new Error(`${process.label} (pid ${process.pid}) is gone: ${process.said?.().slice(-1500) ?? ''}`);
    }
  };
  const before = sample();
  const startedAt = performance.now();
  return () => {
    const after = sample();
    const seconds = (performance.now() - startedAt) / 1000;
    return {
      cpuSeconds: after.cpuSeconds - before.cpuSeconds,
      cpuPercent: Math.round(((after.cpuSeconds - before.cpuSeconds) / seconds) * 1000) / 10,
      rssMiB: Math.round(after.rssMiB * 10) / 10,
      peakRssMiB: Math.round(after.peakRssMiB * 10) / 10,
    };
  };
}

/**
 * Waits until `count()` reaches `expected`, or has not grown for `quietMs` (a backlog still
 * draining keeps it waiting, up to `maxMs`).
 */
export async function settle(count: () => number, expected: number, quietMs = 1_000, maxMs = 20_000): Promise<void> {
  const started = performance.now();
  let last = -1;
  let lastChange = started;
  for (;;) {
    const now = performance.now();
    const n = count();
    if (n !== last) {
      last = n;
      lastChange = now;
    }
    if (n >= expected || now - lastChange >= quietMs || now - started >= maxMs) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Collects what `drain` returns until `expected` items came or they stopped coming (see `settle`). */
export async function collectUntilQuiet<T>(drain: () => Promise<T[]>, expected: number, quietMs = 1_000): Promise<T[]> {
  const all: T[] = [];
  let polling = Promise.resolve();
  await settle(
    () => {
      polling = polling.then(async () => {
        for (const item of await drain()) all.push(item);
      });
      return all.length;
    },
    expected,
    quietMs,
  );
  await polling;
  return all;
}
