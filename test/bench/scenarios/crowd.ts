import { sleep } from '../../helpers/wait.js';
import { monoMs } from '../clock.js';
import { collectUntilQuiet, cpuMeter, procSample, startEmbeddedBroker, startMapperProcess, startSynthHost } from '../processes.js';
import { connectMany, publishPacket, RawClient } from '../raw-mqtt.js';
import { pace } from '../pace.js';
import { check, type ScenarioResult } from '../report.js';
import { Scope } from '../scope.js';
import type { BenchSettings } from '../settings.js';
import { Matcher, noteKey, round, summarise } from '../summary.js';

const PERFORMER = 16;
const AUDIENCE_INSTRUMENTS = 15;
const VALUES = 61;

/**
 * Scenario 4: a crowd of audience connections, each publishing a few values a second on
 * instruments 1–15, while a performer's knob streams on instrument 16; we time the knob to its
 * note on at the synth. Broker, mapper and synth are processes of their own.
 */
export async function crowd(settings: BenchSettings): Promise<Pick<ScenarioResult, 'rows' | 'targets' | 'notes'>> {
  const scope = new Scope();
  try {
    const broker = scope.add(await startEmbeddedBroker());
    const mapper = scope.add(await startMapperProcess(broker));
    const synth = scope.add(await startSynthHost(broker, [PERFORMER]));
    const idle = procSample(broker.pid);
    const audience = await connectMany(broker.port, settings.crowdClients, 'bench-audience');
    scope.onClose(() => audience.clients.forEach((c) => c.destroy()));
    const performer = scope.add(await RawClient.service(broker.port, 'bench-performer'));

    const audiencePackets = Array.from({ length: AUDIENCE_INSTRUMENTS * VALUES }, (_, i) =>
      publishPacket(`openwest/instruments/${(i % AUDIENCE_INSTRUMENTS) + 1}`, String(30 + (Math.floor(i / AUDIENCE_INSTRUMENTS) % VALUES))),
    );
    const knob = Array.from({ length: VALUES }, (_, v) => publishPacket(`openwest/instruments/${PERFORMER}`, String(30 + v)));
    const matcher = new Matcher(Infinity);
    const crowdRate = settings.crowdClients * settings.crowdRatePerClient;
    const clients = audience.clients;
    const crowdSend = (i: number) => clients[i % clients.length]!.send(audiencePackets[i % audiencePackets.length]!);
    const knobSend = (i: number) => {
      matcher.sentAt(noteKey(PERFORMER, 30 + (i % VALUES)), monoMs());
      performer.send(knob[i % VALUES]!);
    };

    // Warm up, then measure with both streams running.
    await Promise.all([pace(crowdRate, settings.warmupMs, crowdSend), pace(settings.performerRate, settings.warmupMs, knobSend)]);
    const warmKnob = Math.floor((settings.performerRate * settings.warmupMs) / 1000);
    await synth.drain();
    const brokerUse = cpuMeter(broker);
    const mapperUse = cpuMeter(mapper);
    const synthUse = cpuMeter(synth);
    matcher.countFrom = monoMs();
    const started = monoMs();
    const [crowdSent] = await Promise.all([
      pace(crowdRate, settings.crowdMs, crowdSend),
      pace(settings.performerRate, settings.crowdMs, (i) => knobSend(i + warmKnob)),
    ]);
    const seconds = (monoMs() - started) / 1000;
    const b = brokerUse();
    const m = mapperUse();
    const s = synthUse();
    const knobSent = Math.floor((settings.performerRate * settings.crowdMs) / 1000);
    // The knob's notes queue behind the crowd's: give a backlog time to come through.
    for (const n of await collectUntilQuiet(() => synth.drain(), knobSent, 5_000)) matcher.arrivedAt(noteKey(n.channel, n.note), n.at);
    const knobLatency = summarise(matcher.latencies);

    return {
      rows: [
        {
          case: `${settings.crowdClients} audience × ${settings.crowdRatePerClient} msg/s + knob ${settings.performerRate} msg/s`,
          figures: {
            'knob p50': knobLatency?.p50 ?? null,
            'knob p99': knobLatency?.p99 ?? null,
            'knob max': knobLatency?.max ?? null,
            'knob sent': matcher.sent,
            'knob played': matcher.arrived,
            'crowd msg/s sent': Math.round(crowdSent / seconds),
          },
        },
        {
          case: 'processes during the crowd',
          figures: {
            'broker CPU %': b.cpuPercent,
            'broker RSS MiB': b.rssMiB,
            'broker RSS idle MiB': round(idle.rssMiB, 1),
            'mapper CPU %': m.cpuPercent,
            'synth CPU %': s.cpuPercent,
            'connects/s': Math.round(audience.perSecond),
          },
        },
      ],
      targets: [
        matcher.sent > 0 && matcher.arrived === 0
          ? { target: `crowd (${settings.crowdClients} connections): knob → MIDI p99`, limit: '≤ 10 ms', measured: 'no knob note played in time', met: false }
          : check(`crowd (${settings.crowdClients} connections): knob → MIDI p99`, '≤ 10 ms', knobLatency?.p99, (v) => v <= 10),
      ],
      notes: [
        'The knob’s notes are collected until 5 s pass without one (a backlog behind the crowd counts as not played).',
        'Audience: raw mqtt-packet connections in the bench process, sent round-robin so each publishes evenly; their notes are mapped and played like any other (instruments 1–15); only the performer’s instrument 16 is timed.',
      ],
    };
  } finally {
    await scope.close();
  }
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
        ...(full ? [] : [`Only ${settings.capacityClients} connections in ${settings.mode} mode: the 1 GiB target is checked at 10,000 (full mode).`]),
      ],
    };
  } finally {
    await scope.close();
  }
}
