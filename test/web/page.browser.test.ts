import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { synthEnv } from '../../services/synth/config.js';
import { startSynth } from '../../services/synth/synth.js';
import { visualiserEnv } from '../../services/visualiser/config.js';
import { startVisualiser } from '../../services/visualiser/visualiser.js';
import type { NoteEvent, Status } from '../../shared/contract/contract.js';
import { startTestBroker, type TestBroker } from '../helpers/broker.js';
import { launchChromium, openVisualiserPage, turnSoundOn } from '../helpers/browser.js';
import { testLog } from '../helpers/log.js';
import { mosquittoPub } from '../helpers/mosquitto-cli.js';
import { RecordingClient } from '../helpers/mqtt-client.js';
import { repoRoot, LOADED_MACHINE_STALE_MS } from '../helpers/procfile.js';
import { RecordingOutput } from '../helpers/recording-output.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { testEnv } from '../helpers/env.js';

// The page as `npm run build` made it, and the mapper as the Procfile runs it (a real process,
// so the test can kill it): `npm test` builds first.
const webRoot = resolve(repoRoot, 'dist/web');
const mapperMain = resolve(repoRoot, 'dist/services/mapper/main.js');
const artifacts = resolve(repoRoot, 'test-artifacts');

let broker: TestBroker;
let mapper: ChildProcess;
let synth: Awaited<ReturnType<typeof startSynth>>;
let visualiser: Awaited<ReturnType<typeof startVisualiser>>;
let audience: RecordingClient;
let browser: Browser;
let pageUrl: string;
let banner = '';

const contexts: BrowserContext[] = [];

beforeAll(async () => {
  for (const built of [resolve(webRoot, 'index.html'), mapperMain]) {
    if (!existsSync(built)) throw new Error(`${built} is missing: run \`npm run build\` first (npm test does)`);
  }
  mkdirSync(artifacts, { recursive: true });
  broker = await startTestBroker();
  audience = await RecordingClient.connect(broker.url);
  await audience.subscribe('openwest/#');

  mapper = spawn(process.execPath, [mapperMain], {
    env: testEnv({ MQTT_URL: broker.url, STATS_INTERVAL_MS: '300', LOG_LEVEL: 'warn', LOG_FORMAT: 'json' }),
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  await audience.next('openwest/status/mapper', (m) => m.json<Status>().state === 'online', 15_000);

  const quiet = { MQTT_URL: broker.url, LOG_LEVEL: 'silent', STATS_INTERVAL_MS: '300' };
  synth = await startSynth(synthEnv.parse({ ...quiet, STALE_AFTER_MS: LOADED_MACHINE_STALE_MS }), testLog('synth'), {
    output: new RecordingOutput(),
  });
  visualiser = await startVisualiser(
    visualiserEnv.parse({ ...quiet, PORT: '0', BIND_HOST: '127.0.0.1', MQTT_WS_PORT: String(broker.wsPort) }),
    testLog('visualiser'),
    { webRoot, print: (text) => (banner += text) },
  );
  pageUrl = `http://127.0.0.1:${visualiser.port}/`;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (mapper && mapper.exitCode === null && mapper.signalCode === null) mapper.kill('SIGKILL');
  await visualiser?.stop();
  await synth?.stop();
  await audience?.close();
  await broker?.close(100);
});

/** What each page of the current test reported as an error; every test ends with none. */
let errorSources: string[][] = [];
/** Errors a test causes on purpose (Chromium logs each refused WebSocket as a console error). */
let expectedErrors: RegExp | undefined;
afterEach(async () => {
  // Each test's pages close with it: a page left playing would slow the next one down.
  await Promise.all(contexts.splice(0).map((c) => c.close()));
  const errors = errorSources.flat().filter((e) => !expectedErrors?.test(e));
  errorSources = [];
  expectedErrors = undefined;
  expect(errors, 'the page reported errors').toEqual([]);
});

/** A fresh browser context at phone or desktop size, on the page, connected, lanes drawn. */
async function openPage(size: 'phone' | 'desktop'): Promise<Page> {
  const { context, page, errors } = await openVisualiserPage(
    browser,
    pageUrl,
    size === 'phone'
      ? { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }
      : { viewport: { width: 1280, height: 800 } },
  );
  contexts.push(context);
  errorSources.push(errors);
  return page;
}

const laneNote = (page: Page, n: number) => page.locator(`#lanes .lane[data-instrument="${n}"] .lane-note`);

// A real browser on a shared 2-core machine: generous per-test time.
describe('web visualiser in Chromium', { timeout: 90_000 }, () => {
  it('prints the page address and a QR code at start-up', () => {
    expect(banner).toContain(pageUrl);
    expect(banner).toMatch(/[▀▄█]{7}/);
  });

  it('loads with no console errors and shows one lane per configured instrument, named and coloured', async () => {
    const page = await openPage('desktop');
    expect(await page.locator('#lanes .lane').count()).toBe(16);
    const first = page.locator('#lanes .lane[data-instrument="1"]');
    expect(await first.locator('.lane-name').textContent()).toBe('1Piano');
    expect(await first.getAttribute('style')).toContain('--lane-colour: #f5c542');
    expect(await page.locator('#connection').textContent()).toBe(`Connected to ws://127.0.0.1:${broker.wsPort}`);
  });

  it('shows D4 in lane 1 after mosquitto_pub sends 62 to instruments/1, with the value as text', async () => {
    const page = await openPage('desktop');
    const sent = performance.now();
    await mosquittoPub(broker.port, 'openwest/instruments/1', '62');
    await laneNote(page, 1).filter({ hasText: 'D4' }).waitFor({ timeout: 5_000 });
    const shownMs = performance.now() - sent;
    writeFileSync(
      resolve(artifacts, 'visualiser-publish-to-shown.txt'),
      `mosquitto_pub 62 → lane 1 shows D4: ${shownMs.toFixed(0)} ms\n`,
    );
    expect(await page.locator('#lanes .lane[data-instrument="1"] .value-text').textContent()).toBe('62');
    expect(await page.locator('#lanes .lane[data-instrument="1"] .lane-value').getAttribute('aria-valuenow')).toBe(
      '62',
    );
    // The page tints to the colour of the last note's instrument.
    expect(await page.locator('body').getAttribute('style')).toContain('--tint: #f5c542');
    // played/1 (from the synth) flashes the lane.
    await page.locator('#lanes .lane[data-instrument="1"][data-played]').waitFor({ timeout: 5_000 });
  });

  it('publishes a tapped play-pad key, and the value comes back as a note on notes/N', async () => {
    const page = await openPage('phone');
    await page.locator('#pad-instrument').selectOption('2');
    await page.locator('#keyboard [data-value="64"]').tap();
    const note = (await audience.next('openwest/notes/2', (m) => m.json<NoteEvent>().value === 64)).json<NoteEvent>();
    // The bass plays an octave down (its instrument table entry), so the lane shows the mapped note.
    expect(note).toMatchObject({ instrument: 2, value: 64, name: 'E3' });
    await laneNote(page, 2).filter({ hasText: note.name }).waitFor({ timeout: 5_000 });
    // The pad says what played (E3, an octave down), not the name of the value it sent (E4).
    await page.locator('#pad-sent').filter({ hasText: 'Bass played E3' }).waitFor({ timeout: 5_000 });

    await page.locator('#pad-slider').fill('71');
    const slid = (await audience.next('openwest/notes/2', (m) => m.json<NoteEvent>().value === 71)).json<NoteEvent>();
    expect(slid).toMatchObject({ instrument: 2, value: 71 });
  });

  it('says quietly when the room is full (stats/broker: values shed), and nothing once it is not', async () => {
    const page = await openPage('desktop');
    const roomFull = page.locator('#room-full');
    expect(await roomFull.isHidden()).toBe(true);
    const brokerStats = (shedPercent: number) =>
      audience.publish(
        'openwest/stats/broker',
        JSON.stringify({ service: 'broker', at: Date.now(), room: { budget: 300, shedPercent } }),
        { retain: true, qos: 1 },
      );
    await brokerStats(87.4);
    await roomFull.filter({ hasText: 'the room is full: 87 % of values dropped' }).waitFor({ timeout: 5_000 });
    await brokerStats(0);
    await roomFull.waitFor({ state: 'hidden', timeout: 5_000 });
    await audience.publish('openwest/stats/broker', '', { retain: true, qos: 1 });
  });

  it('after Sound on, an arriving note makes non-silent output and the page shows message → voice start', async () => {
    const page = await openPage('desktop');
    expect(await page.locator('#level').getAttribute('data-peak-db')).toBe('-Infinity');
    await turnSoundOn(page);
    const notes = 24;
    for (let i = 0; i < notes; i++) {
      // Piano, bass and the drum lane in turn, paced like a person playing.
      const instrument = [1, 2, 10][i % 3]!;
      await audience.publish(`openwest/instruments/${instrument}`, String(48 + (i % 24)));
      await sleep(120);
    }
    await waitFor('the page to count every note it voiced', async () =>
      Number(await page.locator('#latency').getAttribute('data-count')) >= notes ? true : undefined,
    );
    const peak = await waitFor('non-silent output', async () => {
      const db = Number(await page.locator('#level').getAttribute('data-peak-db'));
      return db > -60 ? db : undefined;
    });
    const shown = await page.locator('#latency').textContent();
    const p50 = Number(await page.locator('#latency').getAttribute('data-p50'));
    expect(shown).toMatch(
      /^message → voice start: last [\d.]+ ms · median [\d.]+ ms · p99 [\d.]+ ms \(\d+ notes\) · look-ahead 10 ms, audio device \d+ ms$/,
    );
    expect(p50).toBeGreaterThan(0);
    await page.screenshot({ path: resolve(artifacts, 'visualiser-sound-on.png') });
    writeFileSync(
      resolve(artifacts, 'visualiser-latency.json'),
      `${JSON.stringify({ shown, p50Ms: p50, peakDb: peak, lookAheadS: await page.locator('#lookahead').inputValue() }, null, 2)}\n`,
    );
  });

  it('a muted lane stays silent while the others sound, and the volume slider turns the output down', async () => {
    const page = await openPage('desktop');
    await turnSoundOn(page);
    // The loudest output level the page shows while `notes` values are played on `instrument`.
    const loudestWhile = async (instrument: number, notes: number) => {
      let loudest = -Infinity;
      for (let i = 0; i < notes; i++) {
        await audience.publish(`openwest/instruments/${instrument}`, String(50 + i));
        for (let t = 0; t < 4; t++) {
          await sleep(50);
          loudest = Math.max(loudest, Number(await page.locator('#level').getAttribute('data-db')));
        }
      }
      return loudest;
    };
    const silence = () =>
      waitFor(
        'silence',
        async () => (Number(await page.locator('#level').getAttribute('data-db')) < -100 ? true : undefined),
        10_000,
      );
    const atDefault = await loudestWhile(1, 6); // sound works
    expect(atDefault).toBeGreaterThan(-60);
    await silence(); // the meter smooths: let those notes die away first

    await page.locator('#lanes .lane[data-instrument="2"] .lane-mute').click();
    expect(await page.locator('#lanes .lane[data-instrument="2"] .lane-mute').getAttribute('aria-pressed')).toBe(
      'true',
    );
    expect(await loudestWhile(2, 6)).toBeLessThan(-100); // silent, as before it

    await page.locator('.sound-settings summary').click(); // the volume is in the settings fold-out
    await page.locator('#volume').fill('-40');
    const turnedDown = await loudestWhile(1, 6);
    expect(turnedDown).toBeLessThan(atDefault - 20); // 34 dB down from the default -6
  });

  it('looks right at phone (390×844) and desktop (1280×800) sizes', async () => {
    for (const size of ['phone', 'desktop'] as const) {
      const page = await openPage(size);
      for (const [instrument, value] of [
        [1, 60],
        [2, 43],
        [3, 67],
        [4, 72],
        [10, 38],
        [5, 76],
        [1, 64],
        [3, 71],
      ] as const) {
        await audience.publish(`openwest/instruments/${instrument}`, String(value));
        await sleep(60);
      }
      await audience.publish('openwest/instruments/1', 'abc');
      await page.locator('#rejections .reason').first().waitFor({ timeout: 10_000 });
      // The services panel is folded to one line; open it to see the figures.
      await page
        .locator('#services-summary')
        .filter({ hasText: /online/ })
        .waitFor({ timeout: 5_000 });
      await page.locator('#services-summary').click();
      await page
        .locator('#services [data-service="mapper"] .figures')
        .filter({ hasText: 'received' })
        .waitFor({ timeout: 5_000 });
      await laneNote(page, 3).filter({ hasText: 'B4' }).waitFor({ timeout: 5_000 });
      const width = await page.evaluate<number>('document.documentElement.scrollWidth');
      expect(width, 'nothing wider than the screen').toBeLessThanOrEqual(size === 'phone' ? 390 : 1280);
      await page.screenshot({ path: resolve(artifacts, `visualiser-${size}.png`), fullPage: size === 'phone' });
    }
  });

  it('turns the mapper health dot offline when the mapper process is killed', async () => {
    const page = await openPage('desktop');
    const dot = page.locator('#services [data-service="mapper"]');
    await expect.poll(() => dot.getAttribute('data-state'), { timeout: 10_000 }).toBe('online');
    mapper.kill('SIGKILL');
    await expect.poll(() => dot.getAttribute('data-state'), { timeout: 15_000 }).toBe('offline');
    expect(await dot.locator('.state').textContent()).toBe('offline');
  });

  it('shows a lost broker connection and reconnects with back-off when the broker returns', async () => {
    const page = await openPage('desktop');
    const { port, wsPort } = broker;
    expectedErrors = new RegExp(`^console\\.error: WebSocket connection to 'ws://127\\.0\\.0\\.1:${wsPort}/' failed`);
    await broker.close(100);
    await expect
      .poll(() => page.locator('#connection').textContent(), { timeout: 15_000 })
      .toMatch(/^Disconnected.*: retry \d+ in \d+\.\d s$/);
    expect(await page.locator('#connection').getAttribute('data-state')).toBe('reconnecting');
    broker = await startTestBroker({}, 'openwest', { port, wsPort });
    await page.locator('#connection[data-state="connected"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('#connection').textContent()).toBe(`Connected to ws://127.0.0.1:${wsPort}`);
  });
});
