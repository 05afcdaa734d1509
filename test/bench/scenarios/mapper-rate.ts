import { sleep } from '../../helpers/wait.js';
import { monoMs } from '../clock.js';
import { cpuMeter, settle, startEmbeddedBroker, startMapperProcess, startMosquittoBroker } from '../processes.js';
import { publishPacket, RawClient } from '../raw-mqtt.js';
import { pace } from '../pace.js';
import { type Row, type ScenarioResult, type TargetCheck } from '../report.js';
import { Scope } from '../scope.js';
import type { BenchSettings } from '../settings.js';
import { Matcher, noteKey, round, summarise } from '../summary.js';

const INSTRUMENTS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16];
const VALUES = 61;
const NOTE_FIELD = Buffer.from('"note":');

/** The note number in a note event, read without parsing the JSON (the bench must stay cheap). */
export function noteOf(payload: Buffer): number {
  let i = payload.indexOf(NOTE_FIELD) + NOTE_FIELD.length;
  let note = 0;
  for (let c = payload[i]; c !== undefined && c >= 48 && c <= 57; c = payload[++i]) note = note * 10 + (c - 48);
  return note;
}

/** Scenario 3: the mapper hop alone, rate stepped up until fewer than 99 % arrive or p99 ≥ 50 ms. */
export async function mapperRate(settings: BenchSettings): Promise<Pick<ScenarioResult, 'rows' | 'targets' | 'notes'>> {
  const rows: Row[] = [];
  const targets: TargetCheck[] = [];
  for (const kind of settings.brokers) {
    const scope = new Scope();
    let best: number | null = null;
    try {
      const broker = scope.add(kind === 'aedes' ? await startEmbeddedBroker() : await startMosquittoBroker());
      const mapper = scope.add(await startMapperProcess(broker));
      const generator = scope.add(await RawClient.service(broker.port, 'bench-mapper-gen'));
      const subscriber = scope.add(await RawClient.service(broker.port, 'bench-mapper-sub'));
      let matcher = new Matcher(Infinity);
      await subscriber.subscribe('openwest/notes/+', (topic, payload) => {
        matcher.arrivedAt(noteKey(Number(topic.slice(topic.lastIndexOf('/') + 1)), noteOf(payload)), monoMs());
      });
      const packets = INSTRUMENTS.map((n) =>
        Array.from({ length: VALUES }, (_, v) => publishPacket(`openwest/instruments/${n}`, String(30 + v))),
      );
      for (const rate of settings.mapperRates) {
        matcher = new Matcher(Infinity);
        const m = matcher;
        const send = (i: number) => {
          const n = i % INSTRUMENTS.length;
          const v = Math.floor(i / INSTRUMENTS.length) % VALUES;
          m.sentAt(noteKey(INSTRUMENTS[n]!, 30 + v), monoMs());
          generator.send(packets[n]![v]!);
        };
        const warm = await pace(rate, Math.min(500, settings.warmupMs), send);
        const mapperUse = cpuMeter(mapper);
        const brokerUse = cpuMeter(broker);
        m.countFrom = monoMs();
        const started = monoMs();
        await pace(rate, settings.mapperStepMs, (i) => send(i + warm));
        const achieved = m.sent / ((monoMs() - started) / 1000);
        await settle(() => m.received, m.sent + warm);
        const use = mapperUse();
        const brokerCpu = brokerUse().cpuPercent;
        const s = summarise(m.latencies);
        const deliveredPct = m.sent ? (100 * m.arrived) / m.sent : 0;
        const sustained = deliveredPct >= 99 && s !== null && s.p99 < 50;
        if (sustained) best = rate;
        rows.push({
          case: `${broker.label}, ${rate} msg/s`,
          figures: {
            'sent/s': Math.round(achieved),
            'delivered %': round(deliveredPct, 2),
            p50: s?.p50 ?? null,
            p99: s?.p99 ?? null,
            max: s?.max ?? null,
            sustained,
            'mapper CPU %': use.cpuPercent,
            'mapper CPU µs/msg': m.arrived ? round((use.cpuSeconds * 1e6) / m.arrived, 0) : null,
            'mapper RSS MiB': use.rssMiB,
            'broker CPU %': brokerCpu,
          },
        });
        if (!sustained) break;
        await sleep(300);
      }
    } finally {
      await scope.close();
    }
    const label = kind === 'aedes' ? 'embedded broker' : 'Mosquitto';
    const highest = best ?? `below ${settings.mapperRates[0]}`;
    rows.push({ case: `${label}: highest sustained`, figures: { 'msg/s': highest } });
    targets.push({
      target: `mapper hop, ${label}`,
      limit: '≥ 15,000 msg/s',
      measured: highest,
      met: best !== null && best >= 15_000,
    });
  }
  return {
    rows,
    targets,
    notes: [
      'Generator and subscriber are raw mqtt-packet clients in the bench process; latency is publish → note event at the subscriber (two broker hops). A rate is sustained when ≥ 99 % arrive and p99 < 50 ms; stepping stops at the first rate that is not. The highest sustained rate is a lower bound set by the steps tried.',
      'Generator, broker and mapper share the same cores: on a 2-core machine the broker and the generator take CPU the mapper would otherwise have.',
    ],
  };
}
