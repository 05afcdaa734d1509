import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mapperEnv } from '../../services/mapper/config.js';
import { tableOf } from '../../services/mapper/instruments.js';
import { loadInstruments } from '../../services/mapper/instruments-file.js';
import { startMapper } from '../../services/mapper/mapper.js';
import { instrumentTableSchema, type NoteEvent, type Rejection } from '../../shared/contract/contract.js';
import { startTestBroker, type TestBroker } from '../helpers/broker.js';
import { testLog } from '../helpers/log.js';
import { RecordingClient } from '../helpers/mqtt-client.js';
import { freePort } from '../helpers/ports.js';
import { repoRoot } from '../helpers/procfile.js';
import { waitFor } from '../helpers/wait.js';
import { watchChild } from '../helpers/child-output.js';
import { testEnv } from '../helpers/env.js';

const dir = mkdtempSync(join(tmpdir(), 'openwest-mapper-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const writeJson = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(content, null, 2));
  return path;
};

const overrides = {
  instruments: {
    '3': { name: 'Dorian pad', scale: 'dorian', root: 'D', colour: '#123456' },
    '5': { retriggerMs: 60_000 },
  },
};

interface MapperStatsPayload {
  received: number;
  notes: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
  droppedByRateLimit: number;
  droppedByReason: Record<string, number>;
  errorsSuppressed: number;
  latencyMs?: { p50: number; p99: number };
}

describe('mapper over the real broker (in process)', () => {
  let broker: TestBroker;
  let audience: RecordingClient;
  let stop: () => Promise<void>;
  const instrumentsFile = writeJson('instruments.json', overrides);

  beforeEach(async () => {
    broker = await startTestBroker();
    const config = mapperEnv.parse({
      MQTT_URL: broker.url,
      LOG_LEVEL: 'silent',
      STATS_INTERVAL_MS: '200',
      INSTRUMENTS_FILE: instrumentsFile,
      MAX_ERRORS_PER_SECOND: '5',
    });
    const mapper = await startMapper(config, testLog('mapper'));
    stop = () => mapper.stop();
    audience = await RecordingClient.connect(broker.url);
    await audience.subscribe('openwest/#');
  });

  afterEach(async () => {
    await stop();
    await audience.close();
    await broker.close(100);
  });

  it('retains the complete effective table, overrides included, on config/instruments', async () => {
    const late = await RecordingClient.connect(broker.url);
    try {
      await late.subscribe('openwest/config/instruments');
      const config = await late.next('openwest/config/instruments');
      expect(config.retain).toBe(true);
      const table = instrumentTableSchema.strict().parse(config.json());
      expect(table).toEqual(tableOf(loadInstruments(instrumentsFile)));
      expect(table.instruments).toHaveLength(16);
      for (const instrument of table.instruments) {
        expect(Object.keys(instrument).sort()).toEqual([
          'channel',
          'colour',
          'durationMs',
          'instrument',
          'maxNotesPerSecond',
          'name',
          'program',
          'retriggerMs',
          'root',
          'scale',
          'transpose',
          'velocity',
        ]);
      }
      expect(table.instruments[2]).toMatchObject({
        instrument: 3,
        name: 'Dorian pad',
        scale: 'dorian',
        root: 'D',
        colour: '#123456',
      });
      expect(table.instruments[9]).toMatchObject({ instrument: 10, channel: 10, scale: 'drums' });
    } finally {
      await late.close();
    }
  });

  it('plays through the table: overridden scale, drums on channel 10, the piano as the demo', async () => {
    await audience.publish('openwest/instruments/3', '63'); // D dorian has no D#: tie D/E → E4 (64)
    await audience.publish('openwest/instruments/10', '90');
    await audience.publish('openwest/instruments/1', '62');
    const pad = (await audience.next('openwest/notes/3')).json<NoteEvent>();
    expect(pad).toMatchObject({ instrument: 3, value: 63, note: 64, name: 'E4', seq: 1 });
    const drum = (await audience.next('openwest/notes/10')).json<NoteEvent>();
    expect(drum).toMatchObject({ instrument: 10, value: 90, note: 81, channel: 10 });
    const piano = (await audience.next('openwest/notes/1')).json<NoteEvent>();
    expect(piano).toMatchObject({ note: 62, name: 'D4', channel: 1, program: 0 });
  });

  it('drops the same note again inside retriggerMs and counts it in stats by reason', async () => {
    await audience.publish('openwest/instruments/5', '60');
    await audience.publish('openwest/instruments/5', '60'); // within 60 s of the first
    const stats = await audience.next('openwest/stats/mapper', (m) => m.json<MapperStatsPayload>().received === 2);
    expect(stats.json<MapperStatsPayload>()).toMatchObject({
      received: 2,
      notes: 1,
      droppedByRateLimit: 1,
      droppedByReason: { retrigger: 1, rate: 0 },
      rejected: 0,
    });
    expect(stats.json<MapperStatsPayload>().latencyMs).toEqual(
      expect.objectContaining<{ p50: unknown; p99: unknown }>({ p50: expect.any(Number), p99: expect.any(Number) }),
    );
    expect(audience.on('openwest/notes/5').map((m) => m.json<NoteEvent>().value)).toEqual([60]);
  });

  it('caps a flood of bad input on errors and counts every rejection by reason', async () => {
    const flood = 200;
    for (let i = 0; i < flood; i++) await audience.publish('openwest/instruments/1', i % 2 ? 'abc' : '95');
    await audience.publish('openwest/instruments/0', '62');
    const done = await audience.next(
      'openwest/stats/mapper',
      (m) => m.json<MapperStatsPayload>().received === flood + 1,
      20_000,
    );
    const stats = done.json<MapperStatsPayload>();
    expect(stats.rejected).toBe(flood + 1);
    expect(stats.rejectedByReason).toMatchObject({
      'not-a-number': flood / 2,
      'out-of-range': flood / 2,
      'bad-instrument': 1,
    });
    const published = audience.on('openwest/errors').map((m) => m.json<Rejection>());
    expect(stats.errorsSuppressed).toBeGreaterThan(0);
    expect(published.length + stats.errorsSuppressed).toBe(flood + 1);
    // Each second (the cap's window) publishes 5 at most: the flood took far fewer seconds than 201 / 5.
    expect(published.length).toBeLessThan(flood / 2);
  });
});

describe('the built mapper main with INSTRUMENTS_FILE', () => {
  const main = resolve(repoRoot, 'dist/services/mapper/main.js');

  const run = (env: Record<string, string>) => {
    expect(existsSync(main), `${main} is built by npm run build (npm test builds first)`).toBe(true);
    const child = spawn(process.execPath, [main], {
      cwd: repoRoot,
      env: testEnv({ LOG_FORMAT: 'json', LOG_LEVEL: 'info', ...env }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { child, ...watchChild(child) };
  };

  it('refuses to start on an invalid file: exit code 2, the file, the field path and the reason on stderr', async () => {
    const bad = writeJson('bad.json', { instruments: { '3': { scale: 'lydian-ish' }, '4': { velocity: 300 } } });
    // No broker on this port: the mapper must stop before it tries to connect.
    const { exited, stderr } = run({ INSTRUMENTS_FILE: bad, MQTT_URL: `mqtt://127.0.0.1:${await freePort()}` });
    expect(await exited).toBe(2);
    expect(stderr()).toContain(`mapper: invalid configuration in INSTRUMENTS_FILE ${bad}:`);
    expect(stderr()).toMatch(
      /instruments\.3\.scale: Invalid option: expected one of "chromatic"\|.*"dorian".*, got "lydian-ish"/,
    );
    expect(stderr()).toMatch(/instruments\.4\.velocity: Too big: expected number to be <=127, got 300/);
  });

  it('refuses to start on a file that does not exist', async () => {
    const missing = join(dir, 'nowhere.json');
    const { exited, stderr } = run({
      INSTRUMENTS_FILE: missing,
      MQTT_URL: `mqtt://127.0.0.1:${await freePort()}`,
    });
    expect(await exited).toBe(2);
    expect(stderr()).toMatch(new RegExp(`INSTRUMENTS_FILE ${missing}:\\n  - cannot read the file: ENOENT`));
  });

  it('starts with a valid file and publishes its table', async () => {
    const broker = await startTestBroker();
    const watcher = await RecordingClient.connect(broker.url);
    const mapper = run({ INSTRUMENTS_FILE: writeJson('good.json', overrides), MQTT_URL: broker.url });
    try {
      await watcher.subscribe('openwest/config/instruments');
      const config = await watcher.next('openwest/config/instruments', () => true, 20_000);
      expect(instrumentTableSchema.parse(config.json()).instruments[2]).toMatchObject({
        name: 'Dorian pad',
        scale: 'dorian',
      });
    } finally {
      mapper.child.kill('SIGTERM');
      expect(await mapper.exited).toBe(0);
      await watcher.close();
      await broker.close(100);
    }
    await waitFor('mapper exit', () => mapper.child.exitCode !== null);
  });
});
