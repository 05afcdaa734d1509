import { readFileSync } from 'node:fs';
import { parseMidi } from 'midi-file';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NoteEvent } from '../../shared/contract/contract.js';
import { startPageRoom, type PageRoom } from '../helpers/page-room.js';
import { sleep } from '../helpers/wait.js';

let room: PageRoom;

beforeAll(async () => {
  room = await startPageRoom();
}, 60_000);

afterAll(() => room?.stop());

describe('taking the performance home', { timeout: 90_000 }, () => {
  it('records the notes the page hears and downloads them as a Standard MIDI File', async () => {
    const { page, errors } = await room.openPage({ viewport: { width: 1280, height: 800 } });
    const download = page.locator('#record-download');
    expect(await download.isDisabled()).toBe(true);

    // A note before Record is not in the file.
    await room.service.publish('openwest/instruments/1', '50');
    await page.locator('#lanes .lane[data-instrument="1"] .lane-note').filter({ hasText: 'D3' }).waitFor();

    await page.locator('#record').click();
    expect(await page.locator('#record').getAttribute('aria-pressed')).toBe('true');
    const played: [instrument: number, value: number][] = [
      [1, 62],
      [2, 64],
      [10, 38],
      [1, 67],
    ];
    for (const [instrument, value] of played) {
      await room.service.publish(`openwest/instruments/${instrument}`, String(value));
      await sleep(150);
    }
    await page.locator('#record-status').filter({ hasText: 'recording: 4 notes' }).waitFor({ timeout: 10_000 });
    await page.locator('#record').click();
    expect(await page.locator('#record').getAttribute('aria-pressed')).toBe('false');
    expect(await page.locator('#record-status').textContent()).toBe('recorded 4 notes');

    // What the mapper sent for those values: the notes and channels the file must hold, in order.
    const sent = played.map(([instrument, value]) =>
      room.service.received
        .filter((m) => m.topic === `openwest/notes/${instrument}`)
        .map((m) => m.json<NoteEvent>())
        .find((n) => n.value === value),
    );
    expect(sent.every(Boolean)).toBe(true);

    const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
    expect(file.suggestedFilename()).toMatch(/^openwest-\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d\.mid$/);
    const midi = parseMidi(readFileSync(await file.path()));
    expect(midi.header.format).toBe(0);
    let tick = 0;
    const noteOns: { tick: number; channel: number; note: number }[] = [];
    for (const e of midi.tracks[0]!) {
      tick += e.deltaTime;
      if (e.type === 'noteOn') noteOns.push({ tick, channel: e.channel, note: e.noteNumber });
    }
    expect(noteOns.map(({ channel, note }) => [channel, note])).toEqual(sent.map((n) => [n!.channel - 1, n!.note]));
    // In the order they came, each after the one before.
    expect(noteOns.map((n) => n.tick)).toEqual([...noteOns.map((n) => n.tick)].sort((a, b) => a - b));
    expect(new Set(noteOns.map((n) => n.tick)).size).toBe(noteOns.length);
    expect(midi.tracks[0]!.filter((e) => e.type === 'noteOff')).toHaveLength(4);
    expect(errors).toEqual([]);
  });
});
