import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableOf, defaultInstruments } from '../../services/mapper/instruments.js';
import { visualiserEnv } from '../../services/visualiser/config.js';
import { startVisualiser } from '../../services/visualiser/visualiser.js';
import { startTestBroker, type TestBroker } from '../helpers/broker.js';
import { launchChromium, openVisualiserPage } from '../helpers/browser.js';
import { testLog } from '../helpers/log.js';
import { RecordingClient } from '../helpers/mqtt-client.js';
import { repoRoot } from '../helpers/procfile.js';
import { waitFor } from '../helpers/wait.js';

// The page as `npm run build` made it.
const webRoot = resolve(repoRoot, 'dist/web');

let broker: TestBroker;
let visualiser: Awaited<ReturnType<typeof startVisualiser>>;
let service: RecordingClient;
let browser: Browser;
let pageUrl: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  if (!existsSync(resolve(webRoot, 'index.html')))
    throw new Error(`${webRoot} is missing: run \`npm run build\` first`);
  broker = await startTestBroker();
  service = await RecordingClient.connect(broker.url);
  // The table the mapper would retain, so the page draws its lanes without a mapper.
  await service.publish('openwest/config/instruments', JSON.stringify(tableOf(defaultInstruments)), {
    qos: 1,
    retain: true,
  });
  visualiser = await startVisualiser(
    visualiserEnv.parse({
      MQTT_URL: broker.url,
      LOG_LEVEL: 'silent',
      PORT: '0',
      BIND_HOST: '127.0.0.1',
      MQTT_WS_PORT: String(broker.wsPort),
    }),
    testLog('visualiser'),
    { webRoot, print: () => {} },
  );
  pageUrl = `http://127.0.0.1:${visualiser.port}/`;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
  await browser?.close();
  await visualiser?.stop();
  await service?.close();
  await broker?.close(100);
});

const open = async () => {
  const opened = await openVisualiserPage(browser, pageUrl);
  contexts.push(opened.context);
  return opened;
};
const setTempo = (payload: string) => service.publish('openwest/tempo', payload, { qos: 1, retain: true });

describe("the page shows the room's beat", () => {
  it('is hidden without a tempo, pulses on each beat while one is set, and hides again when it is turned off', async () => {
    const { page, errors } = await open();
    const beat = page.locator('#beat');
    expect(await beat.isHidden()).toBe(true);

    await setTempo(JSON.stringify({ bpm: 240, steps: 4, since: Date.now() }));
    await beat.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await beat.textContent()).toContain('240');
    // A pulse is a flip of data-beat: it takes both values within a few beats (250 ms each).
    const seen = new Set<string>();
    await waitFor(
      'data-beat to take both values',
      async () => {
        const value = await beat.getAttribute('data-beat');
        if (value) seen.add(value);
        return seen.size === 2;
      },
      10_000,
      20,
    );
    expect([...seen].sort()).toEqual(['even', 'odd']);

    await setTempo('');
    await beat.waitFor({ state: 'hidden', timeout: 10_000 });
    expect(errors).toEqual([]);
  });

  it('shows a tempo set before the page opened (retained), and ignores a payload that is not a tempo', async () => {
    await setTempo(JSON.stringify({ bpm: 90, steps: 2, since: Date.now() }));
    const { page, errors } = await open();
    const beat = page.locator('#beat');
    await beat.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await beat.textContent()).toContain('90');
    await service.publish('openwest/tempo', 'not a tempo', { qos: 1 });
    await setTempo(JSON.stringify({ bpm: 100, steps: 4, since: Date.now() }));
    await page.locator('#beat', { hasText: '100' }).waitFor({ timeout: 10_000 });
    expect(await beat.isVisible()).toBe(true);
    await setTempo('');
    expect(errors).toEqual([]);
  });
});
