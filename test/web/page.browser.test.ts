import { writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { NoteEvent } from '../../shared/contract/contract.js';
import { turnSoundOn } from '../helpers/browser.js';
import { mosquittoPub } from '../helpers/mosquitto-cli.js';
import { artifact, startPageRoom, type PageRoom } from '../helpers/page-room.js';
import { sleep, waitFor } from '../helpers/wait.js';

// The page as `npm run build` made it, the mapper as the Procfile runs it (a real process, so the
// test can kill it) and the synth: `npm test` builds first.
let room: PageRoom;

beforeAll(async () => {
  room = await startPageRoom({ synth: true });
}, 60_000);

afterAll(() => room?.stop());

/** What each page of the current test reported as an error; every test ends with none. */
let errorSources: string[][] = [];
/** Errors a test causes on purpose (Chromium logs each refused WebSocket as a console error). */
let expectedErrors: RegExp | undefined;
afterEach(async () => {
  // Each test's pages close with it: a page left playing would slow the next one down.
  await room.closePages();
  const errors = errorSources.flat().filter((e) => !expectedErrors?.test(e));
  errorSources = [];
  expectedErrors = undefined;
  expect(errors, 'the page reported errors').toEqual([]);
});

/** A fresh browser context at phone or desktop size, on the page, connected, lanes drawn. */
async function openPage(size: 'phone' | 'desktop'): Promise<Page> {
  const { page, errors } = await room.openPage(
    size === 'phone'
      ? { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }
      : { viewport: { width: 1280, height: 800 } },
  );
  errorSources.push(errors);
  return page;
}

const laneNote = (page: Page, n: number) => page.locator(`#lanes .lane[data-instrument="${n}"] .lane-note`);

// A real browser on a shared 2-core machine: generous per-test time.
describe('web visualiser in Chromium', { timeout: 90_000 }, () => {
  it('prints the page address and a QR code at start-up', () => {
    expect(room.banner).toContain(room.pageUrl);
    expect(room.banner).toMatch(/[▀▄█]{7}/);
  });

  it('loads with no console errors and shows one lane per configured instrument, named and coloured', async () => {
    const page = await openPage('desktop');
    expect(await page.locator('#lanes .lane').count()).toBe(16);
    const first = page.locator('#lanes .lane[data-instrument="1"]');
    expect(await first.locator('.lane-name').textContent()).toBe('1Piano');
    expect(await first.getAttribute('style')).toContain('--lane-colour: #f5c542');
    expect(await page.locator('#connection').textContent()).toBe(`Connected to ws://127.0.0.1:${room.broker.wsPort}`);
  });

  it('shows D4 in lane 1 after mosquitto_pub sends 62 to instruments/1, with the value as text', async () => {
    const page = await openPage('desktop');
    const sent = performance.now();
    await mosquittoPub(room.broker.port, 'openwest/instruments/1', '62');
    await laneNote(page, 1).filter({ hasText: 'D4' }).waitFor({ timeout: 5_000 });
    const shownMs = performance.now() - sent;
    writeFileSync(
      artifact('visualiser-publish-to-shown.txt'),
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
    const note = (
      await room.service.next('openwest/notes/2', (m) => m.json<NoteEvent>().value === 64)
    ).json<NoteEvent>();
    // The bass plays an octave down (its instrument table entry), so the lane shows the mapped note.
    expect(note).toMatchObject({ instrument: 2, value: 64, name: 'E3' });
    await laneNote(page, 2).filter({ hasText: note.name }).waitFor({ timeout: 5_000 });
    // The pad says what played (E3, an octave down), not the name of the value it sent (E4).
    await page.locator('#pad-sent').filter({ hasText: 'Bass played E3' }).waitFor({ timeout: 5_000 });

    await page.locator('#pad-slider').fill('71');
    const slid = (
      await room.service.next('openwest/notes/2', (m) => m.json<NoteEvent>().value === 71)
    ).json<NoteEvent>();
    expect(slid).toMatchObject({ instrument: 2, value: 71 });
  });

  it('says quietly when the room is full (stats/broker: values shed), and nothing once it is not', async () => {
    const page = await openPage('desktop');
    const roomFull = page.locator('#room-full');
    expect(await roomFull.isHidden()).toBe(true);
    await room.retainBrokerStats(87.4);
    await roomFull.filter({ hasText: 'the room is full: 87 % of values dropped' }).waitFor({ timeout: 5_000 });
    await room.retainBrokerStats(0);
    await roomFull.waitFor({ state: 'hidden', timeout: 5_000 });
    await room.retainBrokerStats(undefined);
  });

  it('after Sound on, an arriving note makes non-silent output and the page shows message → voice start', async () => {
    const page = await openPage('desktop');
    expect(await page.locator('#level').getAttribute('data-peak-db')).toBe('-Infinity');
    await turnSoundOn(page);
    const notes = 24;
    for (let i = 0; i < notes; i++) {
      // Piano, bass and the drum lane in turn, paced like a person playing.
      const instrument = [1, 2, 10][i % 3]!;
      await room.service.publish(`openwest/instruments/${instrument}`, String(48 + (i % 24)));
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
    await page.screenshot({ path: artifact('visualiser-sound-on.png') });
    writeFileSync(
      artifact('visualiser-latency.json'),
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
        await room.service.publish(`openwest/instruments/${instrument}`, String(50 + i));
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
        await room.service.publish(`openwest/instruments/${instrument}`, String(value));
        await sleep(60);
      }
      await room.service.publish('openwest/instruments/1', 'abc');
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
      await page.screenshot({ path: artifact(`visualiser-${size}.png`), fullPage: size === 'phone' });
    }
  });

  it('turns the mapper health dot offline when the mapper process is killed', async () => {
    const page = await openPage('desktop');
    const dot = page.locator('#services [data-service="mapper"]');
    await expect.poll(() => dot.getAttribute('data-state'), { timeout: 10_000 }).toBe('online');
    room.killMapper();
    await expect.poll(() => dot.getAttribute('data-state'), { timeout: 15_000 }).toBe('offline');
    expect(await dot.locator('.state').textContent()).toBe('offline');
  });

  it('shows a lost broker connection and reconnects with back-off when the broker returns', async () => {
    const page = await openPage('desktop');
    const { wsPort } = room.broker;
    expectedErrors = new RegExp(`^console\\.error: WebSocket connection to 'ws://127\\.0\\.0\\.1:${wsPort}/' failed`);
    await room.stopBroker();
    await expect
      .poll(() => page.locator('#connection').textContent(), { timeout: 15_000 })
      .toMatch(/^Disconnected.*: retry \d+ in \d+\.\d s$/);
    expect(await page.locator('#connection').getAttribute('data-state')).toBe('reconnecting');
    await room.startBroker();
    await page.locator('#connection[data-state="connected"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('#connection').textContent()).toBe(`Connected to ws://127.0.0.1:${wsPort}`);
  });
});
