import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultInstruments } from '../../services/mapper/instruments.js';
import { noteName } from '../../shared/contract/note-names.js';
import { STEADY_LEVEL } from '../../web/stage/wash.js';
import { seriousViolations } from '../helpers/axe.js';
import { collectPageErrors } from '../helpers/browser.js';
import { noteEvent } from '../helpers/messages.js';
import { artifact, startPageRoom, type PageRoom } from '../helpers/page-room.js';
import { sleep, waitFor } from '../helpers/wait.js';

// The stage as `npm run build` made it; notes come straight onto notes/N, as the mapper sends them.
let room: PageRoom;
let origin: string;
let seq = 0;

beforeAll(async () => {
  room = await startPageRoom({ mapper: false });
  origin = new URL(room.pageUrl).origin;
}, 60_000);

afterAll(() => room?.stop());

let errorSources: string[][] = [];
afterEach(async () => {
  await room.closePages();
  const errors = errorSources.flat();
  errorSources = [];
  expect(errors, 'the stage reported errors').toEqual([]);
});

/** The stage at `/stage` (no slash: the server moves it to `/stage/`), connected to the broker. */
async function openStage(width: number, height: number, reducedMotion: 'reduce' | 'no-preference' = 'no-preference') {
  const context = await room.newContext({ viewport: { width, height }, reducedMotion });
  const page = await context.newPage();
  errorSources.push(collectPageErrors(page));
  await page.goto(`${origin}/stage`);
  // Connected, the line hides: the stage says nothing about a connection that works.
  await page.locator('#connection[data-state="connected"]').waitFor({ state: 'attached', timeout: 15_000 });
  expect(await page.locator('#connection').isHidden()).toBe(true);
  return page;
}

/** A note event as the mapper publishes it on notes/N. */
function playNote(instrument: number, note: number, velocity = 100, durationMs = 350): Promise<void> {
  const channel = defaultInstruments.find((i) => i.instrument === instrument)?.channel ?? instrument;
  const event = noteEvent({
    instrument,
    value: note,
    note,
    name: noteName(note),
    channel,
    velocity,
    durationMs,
    seq: ++seq,
    receivedAt: performance.timeOrigin + performance.now(),
  });
  return room.service.publish(`openwest/notes/${instrument}`, JSON.stringify(event));
}

/** A short phrase: a piano melody over a walking bass, with a chord. */
async function playPhrase(): Promise<void> {
  const piano = [72, 74, 76, 79, 77, 76, 74, 72];
  const bass = [48, 48, 55, 55, 53, 53, 55, 43];
  for (let i = 0; i < piano.length; i++) {
    await playNote(1, piano[i]!, 70 + 6 * i, 300);
    if (i % 2 === 0) await playNote(2, bass[i]!, 110, 500);
    if (i === 4) await Promise.all([playNote(1, 69, 90, 600), playNote(1, 65, 90, 600)]);
    await sleep(140);
  }
}

// Code run inside the page is written as text: the tests are type-checked without the DOM's types.
const visibleLanes = (page: Page) =>
  page.evaluate<(string | null)[]>(
    `[...document.querySelectorAll('#stage-lanes .stage-lane:not([hidden])')].map((i) => i.getAttribute('data-instrument'))`,
  );

/** The colour on screen at (x, y), read from a screenshot the page itself decodes. */
async function pixelAt(page: Page, x: number, y: number): Promise<{ r: number; g: number; b: number }> {
  const png = await page.screenshot({ clip: { x, y, width: 1, height: 1 } });
  const [r = 0, g = 0, b = 0] = await page.evaluate<number[]>(`(async () => {
    const blob = await (await fetch('data:image/png;base64,${png.toString('base64')}')).blob();
    const ctx = new OffscreenCanvas(1, 1).getContext('2d');
    ctx.drawImage(await createImageBitmap(blob), 0, 0);
    return [...ctx.getImageData(0, 0, 1, 1).data.slice(0, 3)];
  })()`);
  return { r, g, b };
}

const box = async (page: Page, selector: string) => {
  const b = await page.locator(selector).boundingBox();
  if (!b) throw new Error(`${selector} is not on screen`);
  return b;
};

// A real browser on a shared 2-core machine: generous per-test time.
describe('stage screen in Chromium', { timeout: 120_000 }, () => {
  for (const [width, height] of [
    [1920, 1080],
    [1280, 720],
  ] as const) {
    it(`at ${width}×${height}: join address and QR large, only the playing lanes, a wash that follows them`, async () => {
      const page = await openStage(width, height);
      expect(page.url()).toBe(`${origin}/stage/`);

      // Before anyone plays: no lanes, an invitation, and the join address with its QR code, large.
      expect(await visibleLanes(page)).toEqual([]);
      expect(await page.locator('#idle').isVisible()).toBe(true);
      const joinUrl = `${origin}/`;
      expect(await page.locator('#join-url').textContent()).toBe(joinUrl);
      expect(await page.locator('#join-qr').getAttribute('alt')).toBe(`QR code for ${joinUrl}`);
      await expect
        .poll(() => page.evaluate<number>(`document.getElementById('join-qr').naturalWidth`))
        .toBeGreaterThan(0);
      const qr = await box(page, '#join-qr');
      expect(qr.height, 'QR code at least a third of the screen high').toBeGreaterThanOrEqual(height / 3);
      expect(qr.width).toBeCloseTo(qr.height, 0);
      const url = await box(page, '#join-url');
      expect(url.height, 'join address in letters ≥ 3 % of the screen high').toBeGreaterThanOrEqual(height * 0.03);
      expect(url.x + url.width).toBeLessThanOrEqual(width);

      // The piano alone: its lane appears, and the light behind it turns its yellow. The light is
      // read where no plate covers it: the gap between the lanes and the join panel.
      const gapX = Math.round(
        ((await box(page, '#stage-lanes')).x + (await box(page, '#stage-lanes')).width + (await box(page, '.join')).x) /
          2,
      );
      const atLane = async (n: number) => {
        const lane = await box(page, `#stage-lanes .stage-lane[data-instrument="${n}"]`);
        return Math.round(lane.y + lane.height / 2);
      };
      const pianoNotes = async () => {
        for (const n of [72, 76, 79, 84]) {
          await playNote(1, n);
          await sleep(100);
        }
      };
      await pianoNotes();
      await page.locator('#stage-lanes .stage-lane[data-instrument="1"]').waitFor({ timeout: 5_000 });
      await expect.poll(() => visibleLanes(page)).toEqual(['1']);
      const spot = { x: gapX, y: await atLane(1) };
      await pianoNotes();
      const yellow = await pixelAt(page, spot.x, spot.y);
      expect(yellow.r, 'piano yellow: more red than blue').toBeGreaterThan(yellow.b + 20);

      // The bass joins and takes over: its lane appears under the piano's, and the light on the same
      // spot turns blue as the piano's dies away.
      await playNote(2, 36, 120, 500);
      await expect.poll(() => visibleLanes(page)).toEqual(['1', '2']);
      let blueOverRed = -Infinity;
      for (let i = 0; i < 60 && blueOverRed <= 20; i++) {
        await playNote(2, [36, 43, 48, 41][i % 4]!, 120, 500);
        await sleep(150);
        const c = await pixelAt(page, spot.x, spot.y);
        blueOverRed = c.b - c.r;
      }
      expect(blueOverRed, 'the light on the same spot turned blue').toBeGreaterThan(20);

      // Both playing: two tall lanes, nothing else, and the screenshot.
      await playPhrase();
      expect(await visibleLanes(page)).toEqual(['1', '2']);
      expect(await page.locator('#idle').isHidden()).toBe(true);
      await expect
        .poll(async () => (await box(page, '#stage-lanes .stage-lane[data-instrument="2"]')).height)
        .toBeGreaterThanOrEqual(height * 0.25);
      const lane = await page.locator('#stage-lanes .stage-lane[data-instrument="1"] .lane-name').textContent();
      expect(lane).toBe('Piano');
      const width2 = await page.evaluate<number>('document.documentElement.scrollWidth');
      expect(width2, 'nothing wider than the screen').toBeLessThanOrEqual(width);
      await page.screenshot({ path: artifact(`stage-${width}x${height}.png`) });

      expect(await seriousViolations(page)).toEqual([]);
    });
  }

  it('says when the room is full and when a service is away, in lines readable on the light', async () => {
    const page = await openStage(1920, 1080);
    const roomFull = page.locator('#room-full');
    const away = page.locator('#away');
    expect(await roomFull.isHidden()).toBe(true);
    expect(await away.isHidden()).toBe(true);

    const synthStatus = (state: 'online' | 'offline') =>
      room.service.publish(
        'openwest/status/synth',
        JSON.stringify({ service: 'synth', state, pid: 4242, startedAt: Date.now() }),
        { retain: true, qos: 1 },
      );
    try {
      await room.retainBrokerStats(87.4);
      await synthStatus('offline');
      await roomFull.filter({ hasText: 'the room is full: 87 % of values dropped' }).waitFor({ timeout: 5_000 });
      await away.filter({ hasText: 'the synth is away' }).waitFor({ timeout: 5_000 });
      for (const line of ['#room-full', '#away']) {
        expect((await box(page, line)).height, `${line} large enough to read`).toBeGreaterThanOrEqual(1080 * 0.03);
      }
      // Under the brightest light the notes make, the lines still pass axe's contrast check.
      await playPhrase();
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: artifact('stage-lines-1920x1080.png') });

      await synthStatus('online');
      await away.waitFor({ state: 'hidden', timeout: 5_000 });
      await room.retainBrokerStats(0);
      await roomFull.waitFor({ state: 'hidden', timeout: 5_000 });
    } finally {
      await room.retainBrokerStats(undefined);
      await room.service.publish('openwest/status/synth', '', { retain: true, qos: 1 });
    }
  });

  it('with all sixteen instruments playing, every lane is on screen with its name and note inside it', async () => {
    const page = await openStage(1280, 720);
    for (let round = 0; round < 3; round++) {
      for (let instrument = 1; instrument <= 16; instrument++) await playNote(instrument, 48 + instrument + round);
      await sleep(300);
    }
    await expect.poll(async () => (await visibleLanes(page)).length).toBe(16);
    await sleep(800); // grown in
    const ranges = await page.evaluate<{ lane: number[]; texts: number[][] }[]>(
      `[...document.querySelectorAll('#stage-lanes .stage-lane')].map((lane) => {
        const box = lane.getBoundingClientRect();
        return {
          lane: [box.top, box.bottom],
          texts: [...lane.querySelectorAll('.lane-name, .lane-note')].map((t) => {
            const b = t.getBoundingClientRect();
            return [b.top, b.bottom];
          }),
        };
      })`,
    );
    for (const { lane, texts } of ranges) {
      expect(lane[1]! - lane[0]!, 'a lane at least 20 px high').toBeGreaterThanOrEqual(20);
      expect(lane[1], 'lanes stay on screen').toBeLessThanOrEqual(720);
      for (const [top, bottom] of texts) {
        expect(top).toBeGreaterThanOrEqual(lane[0]! - 0.5);
        expect(bottom).toBeLessThanOrEqual(lane[1]! + 0.5);
      }
    }
    await page.screenshot({ path: artifact('stage-crowd-1280x720.png') });
  });

  it('fades a lane out after a few seconds of silence and invites the room again', async () => {
    const page = await openStage(1280, 720);
    await playNote(3, 67);
    await page.locator('#stage-lanes .stage-lane[data-instrument="3"]').waitFor({ timeout: 5_000 });
    // Gone, not just shrunk to nothing on the way out (Playwright calls a zero-height lane hidden).
    await waitFor('the lane to leave the stage', async () => (await visibleLanes(page)).length === 0, 15_000);
    expect(await visibleLanes(page)).toEqual([]);
    expect(await page.locator('#idle').isVisible()).toBe(true);
  });

  it('with reduced motion, the light holds steady while notes hammer in: no flashing', async () => {
    const page = await openStage(1280, 720, 'reduce');
    expect(await page.locator('body').getAttribute('data-motion')).toBe('reduced');
    const levels: number[] = [];
    for (let i = 0; i < 16; i++) {
      await playNote(i % 2 === 0 ? 4 : 5, 60 + i, 127, 200);
      await sleep(80);
      levels.push(Number((await page.locator('#wash').getAttribute('data-level')) ?? 0));
    }
    await page.locator('#stage-lanes .stage-lane[data-instrument="4"]').waitFor({ timeout: 5_000 });
    expect(Math.max(...levels), 'the light came on').toBeGreaterThan(0);
    expect(Math.max(...levels), 'never brighter than the steady level').toBeLessThanOrEqual(STEADY_LEVEL + 0.005);
  });
});
