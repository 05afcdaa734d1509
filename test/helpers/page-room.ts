import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { synthEnv } from '../../services/synth/config.js';
import { startSynth } from '../../services/synth/synth.js';
import { visualiserEnv } from '../../services/visualiser/config.js';
import { startVisualiser } from '../../services/visualiser/visualiser.js';
import type { Status } from '../../shared/contract/contract.js';
import { startTestBroker, type TestBroker } from './broker.js';
import { testEnv } from './env.js';
import { testLog } from './log.js';
import { RecordingClient } from './mqtt-client.js';
import { LOADED_MACHINE_STALE_MS, repoRoot } from './procfile.js';
import { RecordingOutput } from './recording-output.js';

/** The page as `npm run build` made it, and the mapper as the Procfile runs it (a real process). */
const webRoot = resolve(repoRoot, 'dist/web');
const mapperMain = resolve(repoRoot, 'dist/services/mapper/main.js');

export interface PageRoom {
  readonly broker: TestBroker;
  readonly pageUrl: string;
  /** Subscribed to everything under openwest/. */
  readonly audience: RecordingClient;
  /** Stops the broker (the services and the page lose it) and starts a new one on the same ports. */
  stopBroker(): Promise<void>;
  startBroker(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * What a browser test of the page needs, as page.browser.test.ts sets it up: the embedded broker,
 * the mapper process, the visualiser serving dist/web, and (with `synth`) the synth with a
 * recording output, each reporting its status.
 */
export async function startPageRoom(options: { synth?: boolean } = {}): Promise<PageRoom> {
  for (const built of [resolve(webRoot, 'index.html'), mapperMain]) {
    if (!existsSync(built)) throw new Error(`${built} is missing: run \`npm run build\` first (npm test does)`);
  }
  let broker = await startTestBroker();
  const { port, wsPort } = broker;
  const audience = await RecordingClient.connect(broker.url, { reconnectPeriod: 500 });
  await audience.subscribe('openwest/#');
  const mapper: ChildProcess = spawn(process.execPath, [mapperMain], {
    env: testEnv({ MQTT_URL: broker.url, STATS_INTERVAL_MS: '300', LOG_LEVEL: 'fatal', LOG_FORMAT: 'json' }),
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  await audience.next('openwest/status/mapper', (m) => m.json<Status>().state === 'online', 15_000);
  const quiet = { MQTT_URL: broker.url, LOG_LEVEL: 'silent', STATS_INTERVAL_MS: '300' };
  const synth = options.synth
    ? await startSynth(synthEnv.parse({ ...quiet, STALE_AFTER_MS: LOADED_MACHINE_STALE_MS }), testLog('synth'), {
        output: new RecordingOutput(),
      })
    : undefined;
  const visualiser = await startVisualiser(
    visualiserEnv.parse({ ...quiet, PORT: '0', BIND_HOST: '127.0.0.1', MQTT_WS_PORT: String(wsPort) }),
    testLog('visualiser'),
    { webRoot, print: () => undefined },
  );
  let running = true;
  return {
    get broker() {
      return broker;
    },
    pageUrl: `http://127.0.0.1:${visualiser.port}/`,
    audience,
    async stopBroker() {
      running = false;
      await broker.close(100);
    },
    async startBroker() {
      broker = await startTestBroker({}, 'openwest', { port, wsPort });
      running = true;
    },
    async stop() {
      if (mapper.exitCode === null && mapper.signalCode === null) mapper.kill('SIGKILL');
      await visualiser.stop();
      await synth?.stop();
      await audience.close();
      if (running) await broker.close(100);
    },
  };
}
