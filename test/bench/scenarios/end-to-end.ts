import { monoMs } from '../clock.js';
import {
  collectUntilQuiet,
  cpuMeter,
  settle,
  startEmbeddedBroker,
  startMapperProcess,
  startMosquittoBroker,
  startSynthHost,
  type BrokerUnderTest,
  type SynthHost,
} from '../processes.js';
import { publishPacket, RawClient } from '../raw-mqtt.js';
import { pace } from '../pace.js';
import { check, type Row, type ScenarioResult, type TargetCheck } from '../report.js';
import { Scope } from '../scope.js';
import type { BenchSettings } from '../settings.js';
import { Matcher, noteKey, round, summarise, type Summary } from '../summary.js';

const VALUES = 61; // 30..90
// Every instrument but the drums (10), whose notes may be remapped onto percussion.
const INSTRUMENTS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16];

const latencyFigures = (s: Summary | null) => ({
  p50: s?.p50 ?? null,
  p90: s?.p90 ?? null,
  p99: s?.p99 ?? null,
  'p99.9': s?.p999 ?? null,
  max: s?.max ?? null,
});

export interface EndToEndResults {
  /** What went wrong with a broker, if anything: the other broker's figures are kept. */
  failures: string[];
  endToEnd: Pick<ScenarioResult, 'rows' | 'targets' | 'notes'>;
  floor: Pick<ScenarioResult, 'rows' | 'targets' | 'notes'>;
  jitter: Pick<ScenarioResult, 'rows' | 'targets' | 'notes'> | null;
}

/**
 * Scenarios 1, 2 and 6 share their set-up: per broker, the bare hop first (nothing else
 * connected), then the mapper and the synth as processes of their own, the generator in this
 * process publishing `openwest/instruments/N` at each rate, timed to the synth's note on.
 */
export async function endToEnd(settings: BenchSettings): Promise<EndToEndResults> {
  const e2eRows: Row[] = [];
  const floorRows: Row[] = [];
  const targets: TargetCheck[] = [];
  const floorTargets: TargetCheck[] = [];
  let jitter: EndToEndResults['jitter'] = null;
  const at500: Record<string, Summary | null> = {};
  const floorBy: Record<string, Summary | null> = {};

  const failures: string[] = [];
  for (const kind of settings.brokers) {
    const scope = new Scope();
    try {
      const broker = scope.add(kind === 'aedes' ? await startEmbeddedBroker() : await startMosquittoBroker());
      const floor = await bareHop(broker, settings, scope);
      floorBy[kind] = floor;
      floorRows.push({
        case: `${broker.label}, ${settings.floorRate} msg/s`,
        figures: { ...latencyFigures(floor), samples: floor?.samples ?? 0 },
      });

      const mapper = scope.add(await startMapperProcess(broker));
      const synth = scope.add(await startSynthHost(broker));
      const generator = scope.add(await RawClient.service(broker.port, `bench-generator-${kind}`));
      for (const rate of settings.e2eRates) {
        const mapperCpu = cpuMeter(mapper);
        const synthCpu = cpuMeter(synth);
        const brokerCpu = cpuMeter(broker);
        const run = await playAt(rate, settings, generator, synth);
        const [mapperUse, synthUse, brokerUse] = [mapperCpu(), synthCpu(), brokerCpu()];
        const perMessage = (cpuSeconds: number) => (run.handled ? round((cpuSeconds * 1e6) / run.handled, 0) : null);
        const s = summarise(run.latencies);
        if (rate === 500 || rate === Math.max(...settings.e2eRates)) at500[kind] = s;
        e2eRows.push({
          case: `${broker.label}, ${rate} msg/s`,
          figures: {
            ...latencyFigures(s),
            sent: run.sent,
            played: run.arrived,
            'delivered %': run.sent ? round((100 * run.arrived) / run.sent, 2) : null,
            'mapper CPU %': mapperUse.cpuPercent,
            'synth CPU %': synthUse.cpuPercent,
            'broker CPU %': brokerUse.cpuPercent,
            'mapper CPU µs/msg': perMessage(mapperUse.cpuSeconds),
            'synth CPU µs/msg': perMessage(synthUse.cpuSeconds),
          },
        });
      }
      if (kind === 'aedes' || settings.brokers.length === 1)
        jitter = await steadyNotes(settings, generator, synth, broker.label);
    } catch (error) {
      failures.push(`${kind}: ${(error as Error).message}`);
    } finally {
      await scope.close();
    }
  }

  const top = Math.max(...settings.e2eRates);
  for (const kind of settings.brokers) {
    const s = at500[kind];
    const label = kind === 'aedes' ? 'embedded broker' : 'Mosquitto';
    targets.push(
      check(`end to end at ${top} msg/s, ${label}: p50`, '≤ 1 ms', s?.p50, (v) => v <= 1),
      check(`end to end at ${top} msg/s, ${label}: p99`, '≤ 3 ms', s?.p99, (v) => v <= 3),
      check(`end to end at ${top} msg/s, ${label}: max`, '≤ 10 ms', s?.max, (v) => v <= 10),
    );
    const f = floorBy[kind];
    if (s && f) {
      floorRows.push({
        case: `${label}: end to end ÷ bare hop`,
        figures: { 'p50 ratio': round(s.p50 / f.p50, 1), 'p99 ratio': round(s.p99 / f.p99, 1) },
      });
    }
  }
  return {
    failures,
    endToEnd: {
      rows: e2eRows,
      targets,
      notes: [
        'Publish time is stamped in the generator just before the PUBLISH is written to its socket; the synth stamps the note on as its MIDI output is called; both with CLOCK_MONOTONIC, which every process on the machine shares.',
        'CPU µs/msg is the CPU time the process used from the start of the warm-up until the last note came through, per note played (warm-up included): on a crowded machine it holds steadier than latency. Broker, mapper and synth each run as their own process (the mapper is `dist/services/mapper/main.js`, the synth is `startSynth` with a timestamping output in `test/bench/synth-host.ts`); the generator is a raw mqtt-packet client in the bench process. Values cycle 30–90 over instruments 1–9, 11–16.',
        'An end-to-end path crosses the broker twice (instrument → mapper, note → synth), so twice the bare hop is the floor.',
      ],
    },
    floor: {
      rows: floorRows,
      targets: floorTargets,
      notes: [
        'One publisher and one subscriber (raw clients, Nagle off) in the bench process, through the same broker process, before the services connect.',
      ],
    },
    jitter,
  };
}

async function bareHop(broker: BrokerUnderTest, settings: BenchSettings, scope: Scope): Promise<Summary | null> {
  const topic = 'openwest/instruments/1';
  const publisher = scope.add(await RawClient.service(broker.port, 'bench-floor-pub'));
  const subscriber = scope.add(await RawClient.service(broker.port, 'bench-floor-sub'));
  const matcher = new Matcher(Infinity);
  await subscriber.subscribe(topic, (_t, payload) => matcher.arrivedAt(Number(payload.toString('latin1')), monoMs()));
  const packets = Array.from({ length: VALUES }, (_, v) => publishPacket(topic, String(30 + v)));
  const send = (i: number) => {
    const v = i % VALUES;
    matcher.sentAt(30 + v, monoMs());
    publisher.send(packets[v]!);
  };
  const warm = await pace(settings.floorRate, settings.warmupMs, send);
  matcher.countFrom = monoMs();
  const measured = await pace(settings.floorRate, settings.measureMs, (i) => send(i + warm));
  await settle(() => matcher.received, warm + measured);
  await publisher.close();
  await subscriber.close();
  return summarise(matcher.latencies);
}

async function playAt(rate: number, settings: BenchSettings, generator: RawClient, synth: SynthHost) {
  const matcher = new Matcher(Infinity);
  const packets = INSTRUMENTS.map((n) =>
    Array.from({ length: VALUES }, (_, v) => publishPacket(`openwest/instruments/${n}`, String(30 + v))),
  );
  const send = (i: number) => {
    const n = i % INSTRUMENTS.length;
    const v = Math.floor(i / INSTRUMENTS.length) % VALUES;
    matcher.sentAt(noteKey(INSTRUMENTS[n]!, 30 + v), monoMs());
    generator.send(packets[n]![v]!);
  };
  await synth.drain();
  const warmSent = await pace(rate, settings.warmupMs, send);
  matcher.countFrom = monoMs();
  const measured = await pace(rate, settings.measureMs, (i) => send(i + warmSent));
  const played = await collectUntilQuiet(() => synth.drain(), warmSent + measured);
  for (const { channel, note, at } of played) matcher.arrivedAt(noteKey(channel, note), at);
  return {
    sent: matcher.sent,
    arrived: matcher.arrived,
    latencies: matcher.latencies,
    unmatched: matcher.unmatched,
    handled: played.length,
  };
}

/** Scenario 6: a steady beat on one instrument; how evenly the synth hands the notes out. */
async function steadyNotes(settings: BenchSettings, generator: RawClient, synth: SynthHost, brokerLabel: string) {
  const rate = settings.jitterNotesPerSecond;
  const nominal = 1000 / rate;
  const sends: number[] = [];
  const packets = Array.from({ length: VALUES }, (_, v) => publishPacket('openwest/instruments/1', String(30 + v)));
  await synth.drain();
  await pace(rate, settings.jitterMs, (i) => {
    sends.push(monoMs());
    generator.send(packets[(i * 7) % VALUES]!);
  });
  const played = (await collectUntilQuiet(() => synth.drain(), sends.length))
    .filter((n) => n.channel === 1)
    .map((n) => n.at);
  const intervals = played.slice(1).map((t, i) => t - played[i]!);
  const sentIntervals = sends.slice(1).map((t, i) => t - sends[i]!);
  const offBeat = summarise(intervals.map((d) => Math.abs(d - nominal)));
  const added =
    played.length === sends.length ? summarise(intervals.map((d, i) => Math.abs(d - sentIntervals[i]!))) : null;
  const sentOffBeat = summarise(sentIntervals.map((d) => Math.abs(d - nominal)));
  const figures = (s: Summary | null) => ({
    p50: s?.p50 ?? null,
    p99: s?.p99 ?? null,
    max: s?.max ?? null,
    samples: s?.samples ?? 0,
  });
  return {
    rows: [
      { case: `played intervals vs ${nominal} ms (${brokerLabel})`, figures: figures(offBeat) },
      { case: 'played vs sent intervals (added by us)', figures: figures(added) },
      { case: 'sent intervals vs beat (the generator)', figures: figures(sentOffBeat) },
    ],
    targets: [],
    notes: [
      `${rate} notes/s on instrument 1 for ${settings.jitterMs / 1000} s; deviation = |interval − ${nominal} ms| between consecutive note ons at the synth's output. "Added by us" compares each played interval with the interval at which the two notes were sent, so the generator's own timer jitter drops out.`,
      `Sent ${sends.length}, played ${played.length}.`,
    ],
  };
}
