import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { synthEnv } from '../../services/synth/config.js';
import { startSynth } from '../../services/synth/synth.js';
import type { NoteEvent, PlayedEvent } from '../../shared/contract/contract.js';
import { startTestBroker, type TestBroker } from './broker.js';
import { capturingLog } from './capture-log.js';
import { RecordingClient } from './mqtt-client.js';
import { waitFor } from './wait.js';

type Synth = Awaited<ReturnType<typeof startSynth>>;

export interface FluidsynthSynth extends ReturnType<typeof capturingLog> {
  synth: Synth;
  /** Stops the synth (and so FluidSynth, which then writes its WAV whole); once, however often called. */
  stop: () => Promise<void>;
}

export interface FluidsynthRoom {
  readonly broker: TestBroker;
  readonly audience: RecordingClient;
  /** A fresh temporary directory for the WAVs; removed by stop. */
  readonly dir: string;
  /**
   * The synth on the real FluidSynth, rendering to the WAV file `wav`, once it listens for notes;
   * `extra` adds to its environment. The room's stop stops it too.
   */
  startSynth(wav: string, extra?: Record<string, string>): Promise<FluidsynthSynth>;
  /** Publishes `event` on notes/N and resolves with the synth's played/N for it. */
  play(event: NoteEvent): Promise<PlayedEvent>;
  stop(): Promise<void>;
}

/** The embedded broker and an audience subscribed to `filters` (played/+ at least), for synths on FluidSynth. */
export async function startFluidsynthRoom(...filters: string[]): Promise<FluidsynthRoom> {
  const broker = await startTestBroker();
  const audience = await RecordingClient.connect(broker.url);
  await audience.subscribe(...filters);
  const dir = mkdtempSync(join(tmpdir(), 'openwest-fluidsynth-'));
  const stops: (() => Promise<void>)[] = [];
  return {
    broker,
    audience,
    dir,
    async startSynth(wav, extra = {}) {
      const logged = capturingLog();
      const config = synthEnv.parse({
        MQTT_URL: broker.url,
        SYNTH_OUTPUT: 'fluidsynth',
        SYNTH_AUDIO_FILE: wav,
        STATS_INTERVAL_MS: '200',
        ...extra,
      });
      const synth = await startSynth(config, logged.log);
      await waitFor('the synth to subscribe', () => logged.text().includes('subscribed to openwest/notes/+'));
      let stopped = false;
      const stop = async () => {
        if (!stopped) await synth.stop();
        stopped = true;
      };
      stops.push(stop);
      return { synth, stop, ...logged };
    },
    async play(event) {
      await audience.publish(`openwest/notes/${event.instrument}`, JSON.stringify(event));
      const played = await audience.next(
        `openwest/played/${event.instrument}`,
        (m) => m.json<PlayedEvent>().seq === event.seq,
        10_000,
      );
      return played.json();
    },
    async stop() {
      await Promise.all(stops.map((stop) => stop()));
      await audience.close();
      await broker.close(100);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The process id of the FluidSynth the synth plays through now; undefined on any other output. */
export const fluidsynthPid = (synth: Pick<Synth, 'output'>): number | undefined =>
  (synth.output() as { pid?: number }).pid;

/** Kills the running FluidSynth with SIGKILL; resolves with the new one's process id once the synth runs it. */
export async function killAndAwaitRestart(synth: Pick<Synth, 'output'>): Promise<number> {
  const pid = fluidsynthPid(synth);
  expect(pid).toBeGreaterThan(0);
  process.kill(pid!, 'SIGKILL');
  return waitFor(
    'FluidSynth restarted',
    () => {
      const now = fluidsynthPid(synth);
      return now !== undefined && now !== pid && now;
    },
    20_000,
  );
}
