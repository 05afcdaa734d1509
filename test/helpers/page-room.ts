import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions } from 'playwright-core';
import { defaultInstruments, tableOf } from '../../services/mapper/instruments.js';
import { synthEnv } from '../../services/synth/config.js';
import { startSynth } from '../../services/synth/synth.js';
import { visualiserEnv } from '../../services/visualiser/config.js';
import { startVisualiser } from '../../services/visualiser/visualiser.js';
import type { Status } from '../../shared/contract/contract.js';
import { startTestBroker, type TestBroker } from './broker.js';
import { launchChromium, openVisualiserPage, type OpenedPage } from './browser.js';
import { testEnv } from './env.js';
import { testLog } from './log.js';
import { RecordingClient } from './mqtt-client.js';
import { LOADED_MACHINE_STALE_MS, repoRoot } from './procfile.js';
import { RecordingOutput } from './recording-output.js';

/** The page and the stage as `npm run build` made them, and the mapper as the Procfile runs it (a real process). */
const webRoot = resolve(repoRoot, 'dist/web');
const builtPages = [resolve(webRoot, 'index.html'), resolve(webRoot, 'stage/index.html')];
const mapperMain = resolve(repoRoot, 'dist/services/mapper/main.js');
const artifacts = resolve(repoRoot, 'test-artifacts');

/** Where a test keeps `name` (a screenshot, a figure) for people to look at: test-artifacts/, made if missing. */
export function artifact(name: string): string {
  mkdirSync(artifacts, { recursive: true });
  return resolve(artifacts, name);
}

/**
 * The room's service password, as `npm start` always ships one: the mapper, the synth, the
 * visualiser and `service` log in with it; the page (Chromium) and mosquitto_pub do not, so the
 * broker holds them to the audience's rules (topics, sizes, rates, the write bound).
 */
const SERVICE_PASSWORD = 'page-room-secret';
const asService = { username: 'service', password: SERVICE_PASSWORD };

export interface PageRoomOptions {
  /**
   * The mapper as a real process (the default). Without it `service` retains the default
   * instrument table, as the mapper would, so the page draws its lanes; notes come from the test.
   */
  mapper?: boolean;
  /** The synth too, with a recording output. */
  synth?: boolean;
}

export interface PageRoom {
  readonly broker: TestBroker;
  /** The visualiser's page: `http://127.0.0.1:<port>/`. */
  readonly pageUrl: string;
  /** What the visualiser printed at start-up, as in a terminal: the page's addresses and QR code. */
  readonly banner: string;
  /**
   * A client logged in as a service, subscribed to everything under openwest/: it may publish
   * anywhere there (retained config, tempo, status, note events), as no audience client may.
   */
  readonly service: RecordingClient;
  /** Headless Chromium (see launchChromium). */
  readonly browser: Browser;
  /** A fresh browser context (its own profile state); closePages or stop closes it. */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
  /** The visualiser's page in a fresh context, connected, its lanes drawn (see openVisualiserPage); closed like newContext's. */
  openPage(options?: BrowserContextOptions): Promise<OpenedPage>;
  /**
   * Retains stats/broker as the broker sends it when it drops `shedPercent` % of the audience's
   * values (the room is full); undefined clears it.
   */
  retainBrokerStats(shedPercent: number | undefined): Promise<void>;
  /** Closes every context opened so far: a page left playing would slow the next test down. */
  closePages(): Promise<void>;
  /** Kills the mapper process (SIGKILL), as a crash would. */
  killMapper(): void;
  /** Stops the broker (the services and the page lose it) and starts a new one on the same ports. */
  stopBroker(): Promise<void>;
  startBroker(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * What a browser test of the page or the stage needs: the embedded broker with a service password
 * (as `npm start` runs it, so the page is an audience client like any phone), the mapper process
 * (unless `mapper: false`), with `synth` the synth on a recording output, the visualiser serving
 * dist/web, each reporting its status, and Chromium to open the page in.
 */
export async function startPageRoom(options: PageRoomOptions = {}): Promise<PageRoom> {
  const withMapper = options.mapper ?? true;
  for (const built of [...builtPages, ...(withMapper ? [mapperMain] : [])]) {
    if (!existsSync(built)) throw new Error(`${built} is missing: run \`npm run build\` first (npm test does)`);
  }
  const withPassword = { servicePassword: SERVICE_PASSWORD };
  let broker = await startTestBroker(withPassword);
  const { port, wsPort } = broker;
  const service = await RecordingClient.connect(broker.url, { ...asService, reconnectPeriod: 500 });
  await service.subscribe('openwest/#');
  let mapper: ChildProcess | undefined;
  if (withMapper) {
    mapper = spawn(process.execPath, [mapperMain], {
      env: testEnv({
        MQTT_URL: broker.url,
        SERVICE_PASSWORD,
        STATS_INTERVAL_MS: '300',
        LOG_LEVEL: 'fatal',
        LOG_FORMAT: 'json',
      }),
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    await service.next('openwest/status/mapper', (m) => m.json<Status>().state === 'online', 15_000);
  } else {
    const table = JSON.stringify(tableOf(defaultInstruments));
    await service.publish('openwest/config/instruments', table, { qos: 1, retain: true });
  }
  const quiet = { MQTT_URL: broker.url, SERVICE_PASSWORD, LOG_LEVEL: 'silent', STATS_INTERVAL_MS: '300' };
  const synth = options.synth
    ? await startSynth(synthEnv.parse({ ...quiet, STALE_AFTER_MS: LOADED_MACHINE_STALE_MS }), testLog('synth'), {
        output: new RecordingOutput(),
      })
    : undefined;
  let banner = '';
  const visualiser = await startVisualiser(
    visualiserEnv.parse({ ...quiet, PORT: '0', BIND_HOST: '127.0.0.1', MQTT_WS_PORT: String(wsPort) }),
    testLog('visualiser'),
    // Kept, not printed: drawn as in a terminal, QR code included, whatever vitest's stdout is.
    { webRoot, print: (text) => (banner += text), terminalQr: true },
  );
  const pageUrl = `http://127.0.0.1:${visualiser.port}/`;
  const browser = await launchChromium();
  const contexts: BrowserContext[] = [];
  let running = true;
  return {
    get broker() {
      return broker;
    },
    pageUrl,
    get banner() {
      return banner;
    },
    service,
    browser,
    async newContext(contextOptions = {}) {
      const context = await browser.newContext(contextOptions);
      contexts.push(context);
      return context;
    },
    async openPage(contextOptions = {}) {
      const opened = await openVisualiserPage(browser, pageUrl, contextOptions);
      contexts.push(opened.context);
      return opened;
    },
    async retainBrokerStats(shedPercent) {
      const stats = { service: 'broker', at: Date.now(), room: { budget: 300, shedPercent } };
      const payload = shedPercent === undefined ? '' : JSON.stringify(stats);
      await service.publish('openwest/stats/broker', payload, { retain: true, qos: 1 });
    },
    async closePages() {
      await Promise.all(contexts.splice(0).map((c) => c.close()));
    },
    killMapper() {
      if (!mapper) throw new Error('this room runs no mapper');
      mapper.kill('SIGKILL');
    },
    async stopBroker() {
      running = false;
      await broker.close(100);
    },
    async startBroker() {
      broker = await startTestBroker(withPassword, 'openwest', { port, wsPort });
      running = true;
    },
    async stop() {
      await browser.close();
      if (mapper && mapper.exitCode === null && mapper.signalCode === null) mapper.kill('SIGKILL');
      await visualiser.stop();
      await synth?.stop();
      await service.close();
      if (running) await broker.close(100);
    },
  };
}
