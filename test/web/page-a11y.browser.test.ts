import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultInstruments } from '../../services/mapper/instruments.js';
import type { NoteEvent, Rejection } from '../../shared/contract/contract.js';
import { drumKey, drumValue } from '../../shared/contract/drums.js';
import { noteName } from '../../shared/contract/note-names.js';
import { seriousViolations } from '../helpers/axe.js';
import { artifact, startPageRoom, type PageRoom } from '../helpers/page-room.js';

// The built page (`npm test` builds first), the embedded broker and, instead of the mapper, a
// responder this test steers: it answers a value with a note as the mapper would, refuses it, or
// stays silent (a value the mapper dropped never comes back).
type Answer = 'note' | 'refuse' | 'silent';
let answer: Answer = 'note';
let room: PageRoom;
let pageErrors: string[][] = [];

/** The note the mapper's default table makes of `value` on `instrument` (enough of it for these instruments). */
function noteFor(instrument: number, value: number, seq: number): NoteEvent {
  const entry = defaultInstruments.find((i) => i.instrument === instrument)!;
  const note = entry.scale === 'drums' ? drumKey(value) : value + entry.transpose;
  return {
    instrument,
    value,
    note,
    name: noteName(note),
    channel: entry.channel,
    program: entry.program,
    velocity: entry.velocity,
    durationMs: entry.durationMs,
    seq,
    receivedAt: Date.now(),
    source: 'audience',
  };
}

beforeAll(async () => {
  room = await startPageRoom({ mapper: false });
  // The room's service client hears every value sent on instruments/N and answers it.
  const responder = room.service;
  let seq = 0;
  responder.client.on('message', (topic, payload) => {
    const instrument = Number(/^openwest\/instruments\/(\d+)$/.exec(topic)?.[1]);
    if (!instrument) return;
    const text = payload.toString('utf8');
    if (answer === 'note') {
      void responder.publish(`openwest/notes/${instrument}`, JSON.stringify(noteFor(instrument, Number(text), ++seq)));
    } else if (answer === 'refuse') {
      const rejection: Rejection = {
        service: 'mapper',
        topic,
        payload: text,
        reason: 'a test refusal',
        at: Date.now(),
      };
      void responder.publish('openwest/errors', JSON.stringify(rejection));
    }
  });
}, 60_000);

afterAll(() => room?.stop());

afterEach(async () => {
  answer = 'note';
  await room.closePages();
  const errors = pageErrors.flat();
  pageErrors = [];
  expect(errors, 'the page reported errors').toEqual([]);
});

async function openPhone(): Promise<Page> {
  const { page, errors } = await room.openPage({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
  });
  pageErrors.push(errors);
  return page;
}

const focused = (page: Page) =>
  page.evaluate<{ id: string; value: string | null; tag: string }>(
    '({ id: document.activeElement.id, value: document.activeElement.getAttribute("data-value"), tag: document.activeElement.tagName })',
  );
const status = (page: Page) => page.locator('#pad-sent');
/** Where the first element matching `selector` is, in CSS pixels (run in the page, which has the DOM). */
const box = (page: Page, selector: string) =>
  page.evaluate<{ top: number; bottom: number; height: number }>(
    `(({ top, bottom, height }) => ({ top, bottom, height }))(document.querySelector(${JSON.stringify(selector)}).getBoundingClientRect())`,
  );
const computed = (page: Page, selector: string, property: string) =>
  page.evaluate<string>(
    `getComputedStyle(document.querySelector(${JSON.stringify(selector)})).getPropertyValue(${JSON.stringify(property)})`,
  );

describe('the page on a phone, for everyone', { timeout: 90_000 }, () => {
  it('has no serious or critical axe violations, with notes playing and the fold-outs open', async () => {
    const page = await openPhone();
    for (const [instrument, value] of [
      [1, 62],
      [2, 64],
      [10, drumValue(38)!],
    ] as const) {
      await room.service.publish(`openwest/instruments/${instrument}`, String(value));
    }
    await page.locator('#lanes .lane[data-instrument="10"] .lane-note').filter({ hasText: 'Snare' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.locator('.sound-settings summary').click();
    await page.locator('#services-summary').click();
    await page.locator('#pad-instrument').selectOption('10');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('is one Tab stop for the keyboard, arrows move between keys, and Tab reaches the slider next', async () => {
    const page = await openPhone();
    const keys = page.locator('#keyboard button');
    expect(await page.locator('#keyboard button[tabindex="0"]').count()).toBe(1);
    expect(await page.locator('#keyboard button[tabindex="-1"]').count()).toBe((await keys.count()) - 1);

    await page.locator('#pad-higher').focus();
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ value: '60' });
    await page.keyboard.press('ArrowRight');
    expect(await focused(page)).toMatchObject({ value: '61' });
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    // Past the page's lower edge: the keyboard turns an octave down and focus follows.
    expect(await focused(page)).toMatchObject({ value: '59' });
    expect(await page.locator('#pad-range').textContent()).toBe('C3–C4');
    await page.keyboard.press('ArrowUp');
    expect(await focused(page)).toMatchObject({ value: '71' });
    expect(await page.locator('#keyboard button[tabindex="0"]').count()).toBe(1);

    let stops = 0;
    do {
      await page.keyboard.press('Tab');
      stops += 1;
    } while ((await focused(page)).id !== 'pad-slider' && stops < 10);
    expect(stops, 'Tab stops from the keyboard to the slider').toBeLessThanOrEqual(3);
  });

  it('plays a key with Enter and Space, and shows a 3 px focus ring on white and black keys', async () => {
    const page = await openPhone();
    await page.locator('#pad-instrument').selectOption('2');
    await page.locator('#pad-higher').focus();
    await page.keyboard.press('Tab');
    const ring = () => page.evaluate<number>('parseFloat(getComputedStyle(document.activeElement).outlineWidth)');
    const ringStyle = () => page.evaluate<string>('getComputedStyle(document.activeElement).outlineStyle');
    expect(await focused(page)).toMatchObject({ value: '60' }); // C4, a white key
    expect(await ring()).toBeGreaterThanOrEqual(3);
    expect(await ringStyle()).toBe('solid');
    await page.keyboard.press('Enter');
    await status(page).filter({ hasText: 'Bass played C3' }).waitFor();
    await page.keyboard.press('ArrowRight'); // C#4, a black key
    expect(await ring()).toBeGreaterThanOrEqual(3);
    await page.keyboard.press('Space');
    await status(page).filter({ hasText: 'Bass played C#3' }).waitFor();
  });

  it('gives every button, key and fold-out 24×24 px or more, and key labels 12 px or more', async () => {
    const page = await openPhone();
    for (const instrument of ['1', '10']) {
      await page.locator('#pad-instrument').selectOption(instrument);
      const small = await page.evaluate<string[]>(`[...document.querySelectorAll('button, summary, select, input')]
        .filter((e) => e.getClientRects().length > 0)
        .map((e) => [e, e.getBoundingClientRect()])
        .filter(([, r]) => r.width < 24 || r.height < 24)
        .map(([e, r]) => (e.id || e.className || e.tagName) + ' ' + r.width.toFixed(0) + '×' + r.height.toFixed(0))`);
      expect(small, `targets under 24×24 px with instrument ${instrument}`).toEqual([]);
      const labelPx = await page.evaluate<number[]>(
        `[...document.querySelectorAll('#keyboard .key-label')].map((e) => parseFloat(getComputedStyle(e).fontSize))`,
      );
      expect(labelPx.length).toBeGreaterThan(0);
      expect(Math.min(...labelPx)).toBeGreaterThanOrEqual(12);
    }
  });

  it('says what played after a tap ("Bass played E3"), "too fast — not played" when nothing comes back, and a refusal', async () => {
    const page = await openPhone();
    await page.locator('#pad-instrument').selectOption('2');
    await page.locator('#keyboard [data-value="64"]').tap();
    await status(page).filter({ hasText: 'Bass played E3' }).waitFor();
    expect(await status(page).getAttribute('data-outcome')).toBe('played');
    // The one polite summary for screen readers says it too; no lane is a live region.
    await page.locator('#room-summary').filter({ hasText: 'Bass played E3' }).waitFor();
    expect(
      await page.locator('#lanes [aria-live], #lanes [role="status"], #lanes [role="log"], #lanes output').count(),
    ).toBe(0);

    answer = 'silent';
    await page.locator('#keyboard [data-value="65"]').tap();
    await status(page).filter({ hasText: 'too fast — not played' }).waitFor();
    expect(await status(page).getAttribute('data-outcome')).toBe('too-fast');

    answer = 'refuse';
    await page.locator('#keyboard [data-value="67"]').tap();
    await status(page).filter({ hasText: 'refused: a test refusal' }).waitFor();

    // The status line is one line: it never grows and pushes the keys down.
    expect((await box(page, '#pad-sent')).height).toBeLessThan(40);
    await page.screenshot({ path: artifact('phone-390x844-refused.png') });
  });

  it('names drum pads by drum, and a tapped drum says which drum played', async () => {
    const page = await openPhone();
    await page.locator('#pad-instrument').selectOption('10');
    const labels = await page.locator('#keyboard .key-label').allTextContents();
    expect(labels).toContain('Snare');
    expect(labels.filter((l) => /^[A-G]#?\d$/.test(l))).toEqual([]); // no piano names
    const snare = page.getByRole('button', { name: 'Snare (Acoustic Snare)', exact: true });
    await snare.tap();
    await status(page).filter({ hasText: 'Drums played Snare' }).waitFor();
    await snare.dispatchEvent('pointerdown', { button: 0 });
    // Held, in the Drums colour (near white): it stands out from a resting pad.
    const snareKey = `#keyboard [data-value="${drumValue(38)}"]`;
    expect(await snare.getAttribute('class')).toContain('down');
    expect(await computed(page, snareKey, 'background-color')).toBe('rgb(236, 240, 241)');
    expect(await computed(page, `#keyboard .key:not(.down)`, 'background-color')).not.toBe('rgb(236, 240, 241)');
    await page.screenshot({ path: artifact('phone-390x844-drums.png') });
  });

  it('has a Sound switch whose label stays and whose state shows', async () => {
    const page = await openPhone();
    const sound = page.getByRole('switch', { name: 'Sound' });
    expect(await sound.getAttribute('aria-checked')).toBe('false');
    await sound.click();
    await page.locator('#sound[aria-checked="true"]').waitFor({ timeout: 15_000 });
    expect((await sound.textContent())?.trim()).toBe('Sound');
    // Named meters, one per lane.
    const meters = page.getByRole('meter');
    expect(await meters.count()).toBe(16);
    expect(await page.getByRole('meter', { name: 'Bass: latest value' }).count()).toBe(1);
  });

  it('keeps the phone header solid and compact, and the pad first (screenshot)', async () => {
    const page = await openPhone();
    await room.service.publish('openwest/instruments/1', '64');
    await page.locator('#pad-instrument').selectOption('1');
    await page.locator('#keyboard [data-value="67"]').tap();
    await status(page).filter({ hasText: 'Piano played G4' }).waitFor();
    expect((await box(page, 'header.top')).height).toBeLessThanOrEqual(80);
    expect(await computed(page, 'header.top', 'background-color')).toMatch(/^rgb\(/); // opaque: rgb(), not rgba()
    expect((await box(page, '#pad')).top).toBeLessThan((await box(page, '#lanes')).top);
    // The whole keyboard is on the first screen.
    expect((await box(page, '#keyboard')).bottom).toBeLessThanOrEqual(844);
    await page.screenshot({ path: artifact('phone-390x844.png') });
    await page.locator('.sound-settings summary').click();
    await page.screenshot({ path: artifact('phone-390x844-settings.png') });
  });
});
