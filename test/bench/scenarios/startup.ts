import { freePort } from '../../helpers/ports.js';
import { startProcfile } from '../../helpers/procfile.js';
import { sleep, waitFor } from '../../helpers/wait.js';
import { monoMs } from '../clock.js';
import { BENCH_ENV, publishPacket, RawClient } from '../raw-mqtt.js';
import { check, type Row, type ScenarioResult } from '../report.js';
import type { BenchSettings } from '../settings.js';
import { round } from '../summary.js';

/**
 * Scenario 7: what `npm start` does after its build — node-foreman runs the Procfile — until the
 * first value published to instruments/1 comes back as played/1.
 */
export async function startup(settings: BenchSettings): Promise<Pick<ScenarioResult, 'rows' | 'targets' | 'notes'>> {
  const rows: Row[] = [];
  const times: number[] = [];
  for (let run = 1; run <= settings.startupRuns; run++) {
    const port = await freePort();
    const wsPort = await freePort();
    const t0 = monoMs();
    const foreman = await startProcfile({
      MQTT_PORT: String(port),
      MQTT_WS_PORT: String(wsPort),
      BIND_HOST: '127.0.0.1',
      SYNTH_OUTPUT: 'none',
      ...BENCH_ENV,
    });
    let client: RawClient | undefined;
    try {
      client = await waitFor(
        `the broker from the Procfile on port ${port}`,
        () =>
          RawClient.connect(port, `bench-startup-${run}`, '127.0.0.1', 2_000, {
            username: 'service',
            password: BENCH_ENV.SERVICE_PASSWORD,
          }).catch(() => undefined),
        20_000,
        5,
      );
      const brokerUp = monoMs() - t0;
      let played: number | undefined;
      await client.subscribe('openwest/played/1', () => (played ??= monoMs()));
      const packet = publishPacket('openwest/instruments/1', '62');
      while (played === undefined) {
        if (monoMs() - t0 > 30_000)
          throw new Error(`no note played 30 s after start: ${foreman.output().slice(-1500)}`);
        client.send(packet);
        await sleep(5);
      }
      const firstNote = played - t0;
      times.push(firstNote);
      rows.push({
        case: `run ${run}`,
        figures: { 'broker accepts, ms': round(brokerUp, 0), 'first note played, ms': round(firstNote, 0) },
      });
    } finally {
      await client?.close();
      await foreman.stop('SIGINT', 15_000).catch(() => foreman.kill());
      await foreman.kill();
    }
  }
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  return {
    rows,
    targets: [
      check(
        'start-up → first note played (median)',
        '≤ 3 s',
        median === undefined ? null : round(median / 1000, 2),
        (v) => v <= 3,
      ),
    ],
    notes: [
      'node-foreman (`nf start -j Procfile`, as `npm start` runs it) with BIND_HOST=127.0.0.1, free ports and SYNTH_OUTPUT=none (no sound device here); the TypeScript build that `npm start` runs first is not counted. A value is published every 5 ms from the moment the broker accepts a connection.',
    ],
  };
}
