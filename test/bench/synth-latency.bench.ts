// Benchmark, not a test: `npm run build && npx vitest bench --run test/bench/synth-latency.bench.ts`.
// One note event published to notes/1 → the built synth process (SYNTH_OUTPUT from the
// environment, `none` by default) → played/1 received back, through Mosquitto; then the synth's
// own stats (mapper receivedAt → MIDI bytes handed to the output, p50/p99) are printed.
import type { Socket } from 'node:net';
import { afterAll, beforeAll, bench, describe } from 'vitest';
import { epochNow } from '../../shared/contract/clock.js';
import type { PlayedEvent } from '../../shared/contract/contract.js';
import { noteEvent } from '../helpers/messages.js';
import { startMosquitto, type Mosquitto } from '../helpers/mosquitto.js';
import { RecordingClient } from '../helpers/mqtt-client.js';
import { startSynthProcess, type SynthProcess } from '../helpers/synth-process.js';

let mosquitto: Mosquitto;
let audience: RecordingClient;
let synth: SynthProcess;
let seq = 0;

beforeAll(async () => {
  mosquitto = await startMosquitto();
  audience = await RecordingClient.connect(mosquitto.url);
  await audience.subscribe('openwest/played/1', 'openwest/stats/synth');
  (audience.client.stream as Partial<Socket>).setNoDelay?.(true);
  synth = startSynthProcess({
    MQTT_URL: mosquitto.url,
    SYNTH_OUTPUT: process.env.SYNTH_OUTPUT ?? 'none',
    SYNTH_AUDIO_FILE: process.env.SYNTH_AUDIO_FILE ?? '',
    STATS_INTERVAL_MS: '500',
  });
  await synth.waitForLog('subscribed to openwest/notes/+');
});

afterAll(async () => {
  audience.received.length = 0;
  const stats = await audience.next('openwest/stats/synth', () => true, 5_000);
  console.info('synth stats:', stats.text);
  await synth.stop('SIGINT');
  await audience.close();
  await mosquitto.stop();
});

describe('synth', () => {
  bench(
    'note event → played event round trip',
    async () => {
      seq += 1;
      const mine = seq;
      const event = noteEvent({ note: 40 + (seq % 40), durationMs: 20, seq: mine, receivedAt: epochNow() });
      const got = new Promise<void>((resolve) => {
        const onMessage = (topic: string, payload: Buffer) => {
          if (topic !== 'openwest/played/1' || (JSON.parse(payload.toString()) as PlayedEvent).seq !== mine) return;
          audience.client.off('message', onMessage);
          resolve();
        };
        audience.client.on('message', onMessage);
      });
      audience.client.publish('openwest/notes/1', JSON.stringify(event));
      await got;
      audience.received.length = 0;
    },
    { time: 5_000, warmupTime: 500 },
  );
});
