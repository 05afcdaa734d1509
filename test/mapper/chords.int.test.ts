import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mapperEnv } from '../../services/mapper/config.js';
import { startMapper } from '../../services/mapper/mapper.js';
import type { NoteEvent } from '../../shared/contract/contract.js';
import { startTestBroker, type TestBroker } from '../helpers/broker.js';
import { testLog } from '../helpers/log.js';
import { mosquittoPub } from '../helpers/mosquitto-cli.js';
import { RecordingClient } from '../helpers/mqtt-client.js';
import { recordArrivals, runPlayer } from '../helpers/player.js';
import { waitFor } from '../helpers/wait.js';

/** `mosquitto_pub -l`: one connection, one publish per line of stdin, as a script sends a chord. */
function mosquittoPubLines(port: number, topic: string, lines: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(port), '-t', topic, '-l'], {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let said = '';
    child.stderr.on('data', (chunk: Buffer) => (said += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`mosquitto_pub -l exited ${code}: ${said}`)),
    );
    child.stdin.end(`${lines.join('\n')}\n`);
  });
}

interface MapperStatsPayload {
  received: number;
  notes: number;
  droppedByRateLimit: number;
}

describe('chords over the real broker, with the default instrument table', () => {
  let broker: TestBroker;
  let watcher: RecordingClient;
  let stopMapper: () => Promise<void>;

  beforeEach(async () => {
    broker = await startTestBroker();
    const config = mapperEnv.parse({ MQTT_URL: broker.url, LOG_LEVEL: 'silent', STATS_INTERVAL_MS: '200' });
    const mapper = await startMapper(config, testLog('mapper'));
    stopMapper = () => mapper.stop();
    watcher = await RecordingClient.connect(broker.url);
    await watcher.subscribe('openwest/notes/+', 'openwest/stats/mapper', 'openwest/performer/+');
  });

  afterEach(async () => {
    await stopMapper();
    await watcher.close();
    await broker.close(100);
  });

  const notesOn = (instrument: number) => watcher.on(`openwest/notes/${instrument}`).map((m) => m.json<NoteEvent>());

  it('plays all three notes of a chord sent by mosquitto_pub -l on one connection', async () => {
    await mosquittoPubLines(broker.port, 'openwest/instruments/1', ['60', '64', '67']);
    await waitFor('three notes on the piano', () => notesOn(1).length >= 3, 10_000);
    expect(notesOn(1).map((e) => e.name)).toEqual(['C4', 'E4', 'G4']);
    const stats = await watcher.next(
      'openwest/stats/mapper',
      (m) => m.json<MapperStatsPayload>().received === 3,
      10_000,
    );
    expect(stats.json<MapperStatsPayload>()).toMatchObject({ notes: 3, droppedByRateLimit: 0 });
  });

  it('plays all three notes of a drum chord sent by three mosquitto_pub processes at once', async () => {
    // kick, snare and hat as values (docs/instruments.md): three connections, one value each
    await Promise.all(['31', '34', '38'].map((value) => mosquittoPub(broker.port, 'openwest/instruments/10', value)));
    await waitFor('three drum notes', () => notesOn(10).length >= 3, 10_000);
    expect(new Set(notesOn(10).map((e) => e.value))).toEqual(new Set([31, 34, 38]));
  });

  it('plays every note scores/drums.score sends: values sent = notes on notes/+', async () => {
    const sent = await recordArrivals(broker.url, 'openwest/performer/10');
    try {
      const run = runPlayer(['drums'], { MQTT_URL: broker.url });
      const exit = await run.exited;
      expect(exit.code, exit.stderr).toBe(0);
      const count = Number(/published (\d+) values/.exec(exit.stdout)?.[1]);
      expect(count, 'the player says how many values it published').toBeGreaterThan(16);
      await waitFor('every value arrived', () => sent.arrivals.length >= count, 10_000);
      await waitFor('every value played', () => notesOn(10).length >= count, 10_000);
      expect(sent.arrivals).toHaveLength(count);
      expect(notesOn(10).map((e) => e.value)).toEqual(sent.arrivals.map((a) => a.value));
    } finally {
      await sent.close();
    }
  });
});
