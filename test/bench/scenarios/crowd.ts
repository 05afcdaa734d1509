import { decodeJson } from '../../../shared/contract/contract.js';
import { sleep } from '../../helpers/wait.js';
import { monoMs } from '../clock.js';
import {
  collectUntilQuiet,
  cpuMeter,
  procSample,
  startEmbeddedBroker,
  startMapperProcess,
  startSynthHost,
} from '../processes.js';
import { connectMany, publishPacket, RawClient } from '../raw-mqtt.js';
import { fairShare } from '../../../services/broker/audience-admission.js';
import { defaultLimits } from '../../../services/broker/limits.js';
import { pace } from '../pace.js';
import { check, type ScenarioResult } from '../report.js';
import { Scope } from '../scope.js';
import type { BenchSettings } from '../settings.js';
import { Matcher, noteKey, round, summarise } from '../summary.js';

const PERFORMER = 16;
const AUDIENCE_INSTRUMENTS = 15;
const VALUES = 61;
/** Over this, a knob note counts as played late (the bound: nothing over a second late). */
const LATE_MS = 1_000;

interface CrowdCase {
  label: string;
  clients: number;
  ratePerClient: number;
  /** One more client, flooding at this rate. */
  flooder?: number;
  measureMs: number;
}

interface CrowdFigures {
  knob: ReturnType<typeof summarise>;
  knobSent: number;
  knobPlayed: number;
  knobLate: number;
  offeredPerSecond: number;
  admittedPerSecond: number;
  /** Largest client's admitted rate ÷ its fair share (max-min over what each offered). */
  fairness: number | null;
  /** The polite clients' admitted values ÷ sent (the flooder row). */
  politeAdmitted: number | null;
  flooderAdmittedPerSecond: number | null;
  shedPercent: number | null;
  synthStale: number | null;
  synthLatencyMax: number | null;
  brokerCpu: number;
  brokerRss: number;
  mapperCpu: number;
  synthCpu: number;
}

/**
 * The audience's value for client `i`: a fraction after the note (`62.0517` plays 62: the
 * contract rounds) names the client, so a watcher can count what the broker admitted per client.
 */
const audiencePacket = (i: number, step: number) =>
  publishPacket(`openwest/instruments/${(i % AUDIENCE_INSTRUMENTS) + 1}`, `${30 + ((i + step) % VALUES)}.0${i}`);
const clientOf = (payload: Buffer): number => Number(payload.toString('latin1').split('.0')[1] ?? -1);

/**
 * One crowd: broker, mapper and synth as processes on the defaults; `clients` audience
 * connections, each from an address of its own, publishing `ratePerClient` values a second
 * round-robin on instruments 1–15, maybe one flooder; the performer's knob on its lane
 * (`performer/16`) timed to the synth's note on; a service watcher counts what the broker let
 * through, per client.
 */
async function runCrowd(settings: BenchSettings, spec: CrowdCase): Promise<CrowdFigures> {
  const scope = new Scope();
  try {
    const broker = scope.add(await startEmbeddedBroker());
    const mapper = scope.add(await startMapperProcess(broker));
    const synth = scope.add(await startSynthHost(broker, [PERFORMER]));
    const total = spec.clients + (spec.flooder ? 1 : 0);
    const audience = await connectMany(broker.port, total, 'bench-audience');
    scope.onClose(() => audience.clients.forEach((c) => c.destroy()));
    const performer = scope.add(await RawClient.service(broker.port, 'bench-performer'));
    const watcher = scope.add(await RawClient.service(broker.port, 'bench-watcher'));
    let counting = false;
    const admitted = new Uint32Array(total);
    const stats = new Map<string, Record<string, unknown>>();
    // Only what it counts: a watcher of notes and played too would add its own deliveries to the broker's load.
    await watcher.subscribe(['openwest/instruments/+', 'openwest/stats/+'], (topic, payload) => {
      if (topic.startsWith('openwest/stats/')) {
        const decoded = decodeJson('stats', payload);
        if (decoded.ok) stats.set(topic.slice('openwest/stats/'.length), decoded.value);
      } else if (counting && topic.startsWith('openwest/instruments/')) {
        const i = clientOf(payload);
        if (i >= 0 && i < total) admitted[i] = (admitted[i] ?? 0) + 1;
      }
    });

    const knob = Array.from({ length: VALUES }, (_, v) =>
      publishPacket(`openwest/performer/${PERFORMER}`, String(30 + v)),
    );
    const matcher = new Matcher(Infinity);
    const clients = audience.clients;
    const steps = new Uint32Array(total);
    const sentBy = new Uint32Array(total);
    const crowdSend = (n: number) => {
      const i = n % spec.clients;
      if (counting) sentBy[i] = (sentBy[i] ?? 0) + 1;
      clients[i]!.send(audiencePacket(i, (steps[i] = (steps[i] ?? 0) + 1)));
    };
    const flooder = spec.flooder ? clients[spec.clients]! : undefined;
    const floodSend = () => {
      if (counting) sentBy[spec.clients] = (sentBy[spec.clients] ?? 0) + 1;
      flooder?.send(audiencePacket(spec.clients, 0));
    };
    const knobSend = (i: number) => {
      matcher.sentAt(noteKey(PERFORMER, 30 + (i % VALUES)), monoMs());
      performer.send(knob[i % VALUES]!);
    };
    const streams = (ms: number, knobFrom: number) =>
      Promise.all([
        pace(spec.clients * spec.ratePerClient, ms, crowdSend, { spin: false }),
        pace(settings.performerRate, ms, (i) => knobSend(i + knobFrom)),
        ...(spec.flooder ? [pace(spec.flooder, ms, floodSend, { spin: false })] : []),
      ]);

    await streams(settings.warmupMs, 0);
    const warmKnob = Math.floor((settings.performerRate * settings.warmupMs) / 1000);
    // The warm-up's knob notes are paired (not counted), so the measured ones pair with their own sends.
    for (const n of await collectUntilQuiet(() => synth.drain(), warmKnob, 1_000))
      matcher.arrivedAt(noteKey(n.channel, n.note), n.at);
    const use = { broker: cpuMeter(broker), mapper: cpuMeter(mapper), synth: cpuMeter(synth) };
    matcher.countFrom = monoMs();
    counting = true;
    const started = monoMs();
    const [crowdSent] = await streams(spec.measureMs, warmKnob);
    const seconds = (monoMs() - started) / 1000;
    await sleep(200); // what the broker admitted in the last moment reaches the watcher
    counting = false;
    const b = use.broker();
    const m = use.mapper();
    const s = use.synth();
    const knobSent = Math.floor((settings.performerRate * spec.measureMs) / 1000);
    // A knob note still queued after 5 quiet seconds counts as not played.
    for (const n of await collectUntilQuiet(() => synth.drain(), knobSent, 5_000))
      matcher.arrivedAt(noteKey(n.channel, n.note), n.at);
    await sleep(1_200); // one more stats interval of the synth
    const synthStats = stats.get('synth') as { stale?: number; latencyMs?: { max?: number } } | undefined;
    const room = (stats.get('broker') as { room?: { shedPercent?: number } } | undefined)?.room;

    const rates = Array.from(sentBy, (n) => n / seconds);
    // The per-client publish rate caps what a flooder can even offer to the room's budget.
    const demands = rates.map((r) => Math.min(r, defaultLimits.audienceRate.ratePerSecond));
    const fair = fairShare(
      defaultLimits.audienceBudget,
      demands.filter((d) => d > 0),
    );
    let fairness = 0;
    admitted.forEach((n, i) => {
      const share = Math.min(demands[i] ?? 0, fair);
      if (share > 0) fairness = Math.max(fairness, n / seconds / share);
    });
    let politeSent = 0;
    let politeAdmitted = 0;
    for (let i = 0; i < spec.clients; i++) {
      politeSent += sentBy[i] ?? 0;
      politeAdmitted += admitted[i] ?? 0;
    }
    const totalAdmitted = admitted.reduce((sum, n) => sum + n, 0);
    return {
      knob: summarise(matcher.latencies),
      knobSent: matcher.sent,
      knobPlayed: matcher.arrived,
      knobLate: matcher.latencies.filter((l) => l > LATE_MS).length,
      offeredPerSecond: Math.round((crowdSent + (spec.flooder ? (sentBy[spec.clients] ?? 0) : 0)) / seconds),
      admittedPerSecond: Math.round(totalAdmitted / seconds),
      fairness: Number.isFinite(fairness) ? round(fairness, 2) : null,
      politeAdmitted: spec.flooder ? round(politeAdmitted / Math.max(1, politeSent), 4) : null,
      flooderAdmittedPerSecond: spec.flooder ? round((admitted[spec.clients] ?? 0) / seconds, 1) : null,
      shedPercent: room?.shedPercent ?? null,
      synthStale: synthStats?.stale ?? null,
      synthLatencyMax: synthStats?.latencyMs?.max ?? null,
      brokerCpu: b.cpuPercent,
      brokerRss: b.rssMiB,
      mapperCpu: m.cpuPercent,
      synthCpu: s.cpuPercent,
    };
  } finally {
    await scope.close();
  }
}

const knobHolds = (f: CrowdFigures) => f.knobPlayed === f.knobSent && f.knobSent > 0 && (f.knob?.p99 ?? Infinity) <= 10;

/**
 * Scenario 4: crowds of audience connections while a performer's knob plays, on the defaults
 * (admission control on: AUDIENCE_BUDGET); then growing crowds until the knob no longer holds
 * p99 ≤ 10 ms.
 */
export async function crowd(settings: BenchSettings): Promise<Pick<ScenarioResult, 'rows' | 'targets' | 'notes'>> {
  const ms = settings.crowdMs;
  const cases: CrowdCase[] = [
    {
      label: `${settings.crowdClients} audience × 5 msg/s`,
      clients: settings.crowdClients,
      ratePerClient: 5,
      measureMs: ms,
    },
    {
      label: `${settings.crowdClients * 2.5} audience × 2 msg/s`,
      clients: settings.crowdClients * 2.5,
      ratePerClient: 2,
      measureMs: ms,
    },
    // polite: a tap every 2 s each
    {
      label: `1 flooder at 10,000 msg/s among ${settings.crowdClients / 4} polite × 0.5 msg/s`,
      clients: settings.crowdClients / 4,
      ratePerClient: 0.5,
      flooder: 10_000,
      measureMs: ms,
    },
  ];
  const rows: ScenarioResult['rows'] = [];
  const results: CrowdFigures[] = [];
  for (const c of cases) {
    const f = await runCrowd(settings, c);
    results.push(f);
    rows.push(rowOf(`${c.label} + knob ${settings.performerRate} msg/s`, f));
  }
  let highest: number | null = null;
  for (const clients of settings.crowdSweep) {
    const f = await runCrowd(settings, { label: '', clients, ratePerClient: 5, measureMs: Math.min(ms, 5_000) });
    rows.push(rowOf(`sweep: ${clients} audience × 5 msg/s`, f));
    if (!knobHolds(f)) break;
    highest = clients;
  }
  const [main, spread, flood] = results as [CrowdFigures, CrowdFigures, CrowdFigures];
  const budget = defaultLimits.audienceBudget;
  return {
    rows,
    targets: [
      check(`crowd (${settings.crowdClients} × 5 msg/s): knob → MIDI p99`, '≤ 10 ms', main.knob?.p99, (v) => v <= 10),
      check(
        `crowd (${settings.crowdClients} × 5 msg/s): knob values lost`,
        '0',
        main.knobSent - main.knobPlayed,
        (v) => v === 0,
      ),
      check(`crowd (${settings.crowdClients} × 5 msg/s): knob notes over 1 s late`, '0', main.knobLate, (v) => v === 0),
      check(
        `crowd (${settings.crowdClients} × 5 msg/s): audience admitted (budget ${budget}/s)`,
        `${budget * 0.8}–${budget}/s`,
        main.admittedPerSecond,
        (v) => v >= budget * 0.8 && v <= budget * 1.05,
      ),
      check(
        `crowd (${settings.crowdClients} × 5 msg/s): largest client's share ÷ fair share`,
        '≤ 2',
        main.fairness,
        (v) => v <= 2,
      ),
      check(
        `crowd (${settings.crowdClients * 2.5} × 2 msg/s): knob → MIDI p99`,
        '≤ 10 ms',
        spread.knob?.p99,
        (v) => v <= 10,
      ),
      check(
        'flooder among polite clients: polite values admitted',
        '100 %',
        flood.politeAdmitted === null ? null : round(flood.politeAdmitted * 100, 2),
        (v) => v >= 100,
      ),
      {
        target: 'highest crowd (× 5 msg/s) at which the knob holds p99 ≤ 10 ms, nothing lost',
        limit: 'recorded',
        measured: highest,
        met: null,
      },
    ],
    notes: [
      `On the defaults: AUDIENCE_BUDGET ${budget} values/s shared max-min fairly, AUDIENCE_RATE ${defaultLimits.audienceRate.ratePerSecond}/s per client, STALE_AFTER_MS 100 at the synth. Each simulated phone connects from its own 127.x.y.z address.`,
      'Admitted: values the broker let through to the mapper, counted by a service watching instruments/# (each client’s payload carries its number as a fraction, 62.0517, which plays 62). Fair share: max-min over what each client offered, capped at the per-client rate.',
      'The knob plays on the performer’s lane (performer/16) and is timed from its publish to the synth’s note on; a knob note not played after 5 quiet seconds counts as lost.',
      'Synth stale: audience notes older than STALE_AFTER_MS when they reached the synth, dropped and counted; synth latency max is the synth’s own receivedAt → note on, over its last window.',
      'The sweep stops at the first crowd where the knob loses a value or its p99 is over 10 ms.',
    ],
  };
}

function rowOf(label: string, f: CrowdFigures): ScenarioResult['rows'][number] {
  return {
    case: label,
    figures: {
      'knob p50': f.knob?.p50 ?? null,
      'knob p99': f.knob?.p99 ?? null,
      'knob max': f.knob?.max ?? null,
      'knob sent': f.knobSent,
      'knob played': f.knobPlayed,
      'knob > 1 s late': f.knobLate,
      'offered msg/s': f.offeredPerSecond,
      'admitted msg/s': f.admittedPerSecond,
      'shed %': f.shedPercent,
      'largest share ÷ fair': f.fairness,
      'polite admitted %': f.politeAdmitted === null ? null : round(f.politeAdmitted * 100, 2),
      'flooder admitted msg/s': f.flooderAdmittedPerSecond,
      'synth stale': f.synthStale,
      'synth latency max': f.synthLatencyMax,
      'broker CPU %': f.brokerCpu,
      'broker RSS MiB': f.brokerRss,
      'mapper CPU %': f.mapperCpu,
      'synth CPU %': f.synthCpu,
    },
  };
}

/** Scenario 5: many idle audience connections on the embedded broker: its memory and how fast they get in. */
export async function capacity(settings: BenchSettings): Promise<Pick<ScenarioResult, 'rows' | 'targets' | 'notes'>> {
  const scope = new Scope();
  try {
    const broker = scope.add(await startEmbeddedBroker());
    const idle = procSample(broker.pid);
    const use = cpuMeter(broker);
    const connected = await connectMany(broker.port, settings.capacityClients, 'bench-capacity', 200);
    scope.onClose(() => connected.clients.forEach((c) => c.destroy()));
    const during = use();
    await sleep(1_000);
    const held = procSample(broker.pid);
    const perThousand = ((held.rssMiB - idle.rssMiB) / settings.capacityClients) * 1000;
    const full = settings.capacityClients >= 10_000;
    return {
      rows: [
        {
          case: `${settings.capacityClients} connections`,
          figures: {
            'connects/s': Math.round(connected.perSecond),
            'seconds to connect': round(connected.seconds, 2),
            'broker RSS idle MiB': round(idle.rssMiB, 1),
            'broker RSS MiB': round(held.rssMiB, 1),
            'broker peak RSS MiB': round(held.peakRssMiB, 1),
            'MiB per 1,000': round(perThousand, 1),
            'broker CPU % while connecting': during.cpuPercent,
          },
        },
      ],
      targets: [
        check('10,000 connections: broker RSS', '≤ 1 GiB', full ? round(held.rssMiB, 1) : null, (v) => v <= 1024),
      ],
      notes: [
        `Clients connect with at most 200 handshakes in flight, keepalive 0, and stay idle. The broker and the bench process each need one file descriptor per connection (see the open-files limit under the machine).`,
        ...(full
          ? []
          : [
              `Only ${settings.capacityClients} connections in ${settings.mode} mode: the 1 GiB target is checked at 10,000 (full mode).`,
            ]),
      ],
    };
  } finally {
    await scope.close();
  }
}
