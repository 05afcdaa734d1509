import { epochNow } from '../../../shared/contract/clock.js';
import { monoMs } from '../clock.js';
import { settle, startEmbeddedBroker, startMapperProcess } from '../processes.js';
import { publishPacket, RawClient } from '../raw-mqtt.js';
import { pace } from '../pace.js';
import { check, type Row, type ScenarioResult, type TargetCheck } from '../report.js';
import { Scope } from '../scope.js';
import type { BenchSettings } from '../settings.js';
import { round, summarise } from '../summary.js';

const BPM = 120;
const STEPS = 4;
const STEP_MS = 60_000 / BPM / STEPS;
/** Not a divisor of the step, so arrivals fall at every phase of the grid. */
const RATE = 23;
const INSTRUMENTS = 15;

/**
 * Scenario 9: a room in time. The mapper (its own process, TEMPO_BPM 120 in sixteenths: a 125 ms
 * step) quantises audience values; the bench measures what the grid adds: the wait the mapper
 * gives each note (dueAt − receivedAt), publish → note at the subscriber, and how late each step
 * leaves against its due time.
 */
export async function tempo(settings: BenchSettings): Promise<Pick<ScenarioResult, 'rows' | 'targets' | 'notes'>> {
  const scope = new Scope();
  const waits: number[] = [];
  const publishToNote: number[] = [];
  const afterStep: number[] = [];
  let withoutDueAt = 0;
  let sent = 0;
  let received = 0;
  try {
    const broker = scope.add(await startEmbeddedBroker());
    scope.add(await startMapperProcess(broker, { TEMPO_BPM: String(BPM), TEMPO_STEPS: String(STEPS) }));
    const generator = scope.add(await RawClient.service(broker.port, 'bench-tempo-gen'));
    const subscriber = scope.add(await RawClient.service(broker.port, 'bench-tempo-sub'));
    const sentAt = new Map<string, number>();
    let measuring = false;
    await subscriber.subscribe('openwest/notes/+', (_topic, payload) => {
      const arrived = monoMs();
      const arrivedEpoch = epochNow();
      const event = JSON.parse(payload.toString('utf8')) as {
        instrument: number;
        value: number;
        receivedAt: number;
        dueAt?: number;
      };
      const key = `${event.instrument}:${event.value}`;
      const at = sentAt.get(key);
      sentAt.delete(key);
      if (!measuring || at === undefined) return;
      received += 1;
      publishToNote.push(arrived - at);
      if (event.dueAt === undefined) {
        withoutDueAt += 1;
        return;
      }
      waits.push(event.dueAt - event.receivedAt);
      afterStep.push(arrivedEpoch - event.dueAt);
    });
    const packets = Array.from({ length: INSTRUMENTS }, (_, n) =>
      Array.from({ length: 61 }, (_, v) => publishPacket(`openwest/instruments/${n + 1}`, String(30 + v))),
    );
    // Each (instrument, value) is sent again only 915 values later: a note names its value.
    const send = (i: number) => {
      const n = i % INSTRUMENTS;
      const v = Math.floor(i / INSTRUMENTS) % 61;
      sentAt.set(`${n + 1}:${30 + v}`, monoMs());
      generator.send(packets[n]![v]!);
    };
    // The warm-up lets the mapper read its retained tempo back before anything is counted.
    const warm = await pace(RATE, Math.max(1_000, settings.warmupMs), send);
    await new Promise((r) => setTimeout(r, STEP_MS * 2));
    measuring = true;
    sent = await pace(RATE, settings.measureMs * 2, (i) => send(i + warm));
    await settle(() => received, sent);
  } finally {
    await scope.close();
  }
  const wait = summarise(waits);
  const total = summarise(publishToNote);
  const late = summarise(afterStep);
  const rows: Row[] = [
    {
      case: `embedded broker, ${BPM} bpm in sixteenths (step ${STEP_MS} ms), ${RATE} audience values/s`,
      figures: {
        sent,
        'notes with dueAt': waits.length,
        'without dueAt': withoutDueAt,
        'wait p50': wait?.p50 ?? null,
        'wait p99': wait?.p99 ?? null,
        'wait max': wait?.max ?? null,
        'publish → note p50': total?.p50 ?? null,
        'publish → note p99': total?.p99 ?? null,
        'publish → note max': total?.max ?? null,
        'after its step p50': late?.p50 ?? null,
        'after its step p99': late?.p99 ?? null,
        'after its step max': late?.max ?? null,
      },
    },
  ];
  const targets: TargetCheck[] = [
    check(
      'added delay of a quantised audience note (dueAt − receivedAt), p99',
      `< one step (${STEP_MS} ms)`,
      wait?.p99,
      (v) => v < STEP_MS,
    ),
    // The wait is the grid's by design; what the machinery adds on top is how late a step goes out.
    check('a quantised note arrives after its step (arrival − dueAt), p99', '≤ 10 ms', late?.p99, (v) => v <= 10),
    check(
      'every note arrived and carried dueAt',
      `${sent}`,
      received === sent && withoutDueAt === 0 ? sent : round(received - withoutDueAt, 0),
      (v) => v === sent,
    ),
  ];
  return {
    rows,
    targets,
    notes: [
      'Values on the audience lane (instruments/N) at a steady 23/s, so arrivals fall at every phase of the 125 ms grid; the wait is uniform over [0, step) by design (p50 ≈ half a step). "after its step" is note arrival at the subscriber − dueAt (epoch clocks of two processes on one machine): the timer\'s lateness plus one broker hop.',
      'The mapper runs with rate rules off (the bench instruments file), so every value is a note.',
    ],
  };
}
