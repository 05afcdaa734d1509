import { monoMs } from './clock.js';
import { cpuShare, currentLoad, describeMachine, type Report, type ScenarioResult } from './report.js';
import { browserVoice } from './scenarios/browser.js';
import { capacity, crowd } from './scenarios/crowd.js';
import { endToEnd, type EndToEndResults } from './scenarios/end-to-end.js';
import { mapperRate } from './scenarios/mapper-rate.js';
import { startup } from './scenarios/startup.js';
import { tempo } from './scenarios/tempo.js';
import type { BenchSettings } from './settings.js';
import { round } from './summary.js';

type Body = Pick<ScenarioResult, 'rows' | 'targets' | 'notes'> & { failure?: string };

export const TITLES: Record<number, [string, string]> = {
  1: ['end-to-end', 'End to end: publish instruments/N → MIDI note on'],
  2: ['floor', 'The floor: one bare broker hop, and end to end ÷ floor'],
  3: ['mapper-rate', 'Mapper hop: highest sustained rate'],
  4: ['crowd', 'Crowd: audience connections while a performer plays'],
  5: ['capacity', 'Capacity: idle audience connections on the embedded broker'],
  6: ['jitter', 'Jitter: a steady 8 notes/s'],
  7: ['startup', 'Start-up: Procfile → first note played'],
  8: ['browser', 'Browser: message → Tone.js voice started in Chromium'],
  9: ['tempo', 'A room in time: the delay quantised audience notes add (TEMPO_BPM)'],
};

export interface RunOptions {
  /** Scenario numbers to run (all by default); the rest are reported as not measured. */
  only?: number[];
  log?: (line: string) => void;
}

/** Runs every scenario in turn and returns the report; a failing scenario is reported, not thrown. */
export async function runBench(settings: BenchSettings, options: RunOptions = {}): Promise<Report> {
  const log = options.log ?? (() => {});
  const machine = describeMachine();
  const startedAt = new Date().toISOString();
  const began = monoMs();
  const wanted = (id: number) => !options.only || options.only.includes(id);
  const results = new Map<number, ScenarioResult>();

  const record = (
    id: number,
    status: ScenarioResult['status'],
    body: Partial<Body>,
    seconds: number,
    reason?: string,
  ) => {
    const [key, title] = TITLES[id]!;
    results.set(id, {
      id,
      key,
      title,
      status,
      ...(reason ? { reason } : {}),
      rows: body.rows ?? [],
      targets: body.targets ?? [],
      notes: body.notes ?? [],
      seconds: round(seconds, 1),
    });
  };
  const run = async (ids: number[], body: () => Promise<Map<number, Body | null>>) => {
    if (!ids.some(wanted)) {
      for (const id of ids) record(id, 'not measured', {}, 0, 'not selected (--only)');
      return;
    }
    log(`running ${ids.map((id) => TITLES[id]![0]).join(', ')} (load ${currentLoad().join(' ')})`);
    const t = monoMs();
    try {
      const bodies = await body();
      for (const id of ids) {
        const b = bodies.get(id);
        if (b?.failure) record(id, 'failed', b, (monoMs() - t) / 1000, b.failure);
        else if (b) record(id, 'measured', b, (monoMs() - t) / 1000);
        else record(id, 'not measured', {}, 0, 'not produced by this run');
      }
    } catch (error) {
      for (const id of ids)
        record(
          id,
          'failed',
          {},
          (monoMs() - t) / 1000,
          (error as Error).stack?.split('\n').slice(0, 3).join(' ') ?? String(error),
        );
    }
  };

  await run([1, 2, 6], async () => {
    const r: EndToEndResults = await endToEnd(settings);
    const failure = r.failures.length > 0 ? r.failures.join('; ') : undefined;
    const withFailure = (b: Body | null) =>
      b && failure ? { ...b, failure } : (b ?? (failure ? { rows: [], targets: [], notes: [], failure } : null));
    return new Map<number, Body | null>([
      [1, withFailure(r.endToEnd)],
      [2, withFailure(r.floor)],
      [6, withFailure(r.jitter)],
    ]);
  });
  await run([3], async () => new Map([[3, await mapperRate(settings)]]));
  await run([4], async () => new Map([[4, await crowd(settings)]]));
  await run([5], async () => new Map([[5, await capacity(settings)]]));
  await run([7], async () => new Map([[7, await startup(settings)]]));
  await run([8], async () => new Map([[8, await browserVoice(settings)]]));
  await run([9], async () => new Map([[9, await tempo(settings)]]));

  return {
    mode: settings.mode,
    startedAt,
    seconds: round((monoMs() - began) / 1000, 1),
    machine,
    conditions: {
      loadAverageAtEnd: currentLoad(),
      cpuShareAtEnd: cpuShare(),
      processes:
        'broker (embedded: node dist/services/broker/main.js, or Debian Mosquitto), mapper (node dist/services/mapper/main.js) and synth (startSynth with a timestamping output) each in a process of its own, as on stage; load generators in the bench process; for scenario 8 also the visualiser (in the bench process) and headless Chromium',
      transport:
        'MQTT 3.1.1 over TCP on 127.0.0.1; values QoS 0 from the generators, notes QoS 1 (the contract); Nagle off on the bench clients, the services and both brokers (Mosquitto: set_tcp_nodelay true)',
      clock: 'CLOCK_MONOTONIC (process.hrtime), shared by every process on the machine',
      settings,
      notes: [
        `Other work on the machine shows in the load average and the CPU share; a load above the ${machine.cores} cores means every process waits for a CPU, and a broker, mapper or synth that needs more than its share falls behind (latencies of seconds, with low CPU %).`,
      ],
    },
    scenarios: [...results.values()].sort((a, b) => a.id - b.id),
  };
}
