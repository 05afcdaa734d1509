import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startTestBroker } from '../helpers/broker.js';
import { RecordingClient } from '../helpers/mqtt-client.js';
import { findScore } from '../../services/player/find-score.js';
import { DRUM_KEYS, parseScore } from '../../services/player/score.js';
import { drumValue } from '../../shared/contract/drums.js';

const drum = (name: string) => drumValue(DRUM_KEYS[name]!)!;
import { expectTempo, onsetArrivals, recordArrivals, runPlayer, timingReport } from '../helpers/player.js';
import { waitFor } from '../helpers/wait.js';

describe('score player command', () => {
  it('loops the drum score on instrument 10 on one grid until Ctrl-C, then leaves offline', async () => {
    const broker = await startTestBroker();
    const listener = await recordArrivals(broker.url, 'openwest/performer/#');
    const status = await RecordingClient.connect(broker.url);
    const run = runPlayer(['drums', '--loop'], { MQTT_URL: broker.url });
    try {
      await status.subscribe('openwest/status/player');
      // Two passes of 8 beats at 120 bpm: 16 eighth-note onsets each, then the third pass's first.
      const firstOfThird = await waitFor(
        'three passes',
        () => listener.arrivals.filter((a) => a.value === drum('crash')).length >= 3 || undefined,
        30_000,
      );
      expect(firstOfThird).toBe(true);
      run.interrupt();
      const exit = await run.exited;
      expect(exit.code, exit.stderr).toBe(0);
      await status.next('openwest/status/player', (m) => m.json<{ state: string }>().state === 'offline');

      const arrivals = listener.arrivals;
      expect(new Set(arrivals.map((a) => a.topic))).toEqual(new Set(['openwest/performer/10']));
      expect(new Set(arrivals.map((a) => a.qos))).toEqual(new Set([1])); // every value acknowledged
      // 16 eighth-note onsets a pass, most of them chords: onset k is due at k × 250 ms.
      const drums = parseScore(readFileSync(findScore('drums')!, 'utf8'));
      const onsets = onsetArrivals(
        arrivals,
        drums.onsets.map((o) => o.values.length),
        2,
      );
      const report = timingReport(
        onsets,
        onsets.map((_, k) => k * 250),
      );
      console.info(
        `score player, drums --loop at 120 bpm, two passes, at an MQTT subscriber (aedes in the test process) (ms): ${JSON.stringify(report)}`,
      );
      // The tempo, across the loop's seam (see the mary timing test): two passes on one grid.
      expectTempo(
        onsets,
        onsets.map((_, k) => k * 250),
      );
      expect(arrivals.slice(0, 3).map((a) => a.value)).toEqual([drum('crash'), drum('kick'), drum('hat')]);
    } finally {
      run.kill();
      await status.close();
      await listener.close();
      await broker.close(100);
    }
  }, 60_000);

  it('refuses a bad score file with its line and reason, before connecting', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openwest-score-'));
    try {
      const file = join(dir, 'bad.score');
      writeFileSync(file, 'title: Broken\n60 62\n64 H4 65\n');
      const exit = await runPlayer([file], { MQTT_URL: 'mqtt://127.0.0.1:1' }).exited;
      expect(exit.code).toBe(2);
      expect(exit.stderr).toMatch(/^play: .*bad\.score:3: "H4" is not a note/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the shipped scores when asked for one that does not exist, and explains itself on --help', async () => {
    const missing = await runPlayer(['nosuchtune'], { MQTT_URL: 'mqtt://127.0.0.1:1' }).exited;
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no score "nosuchtune": give a file, or one of .*drums.*mary/);
    const help = await runPlayer(['--help']).exited;
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: npm run play -- <score> \[--instrument N\] \[--bpm B\] \[--loop\]/);
    expect(help.stdout).toMatch(/drums, mary/);
  });
});
