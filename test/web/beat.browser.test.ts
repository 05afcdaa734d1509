import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPageRoom, type PageRoom } from '../helpers/page-room.js';
import { waitFor } from '../helpers/wait.js';

let room: PageRoom;

beforeAll(async () => {
  room = await startPageRoom({ mapper: false });
}, 60_000);

afterAll(async () => {
  await room?.stop();
});

const open = () => room.openPage();
const setTempo = (payload: string) => room.service.publish('openwest/tempo', payload, { qos: 1, retain: true });

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
    await room.service.publish('openwest/tempo', 'not a tempo', { qos: 1 });
    await setTempo(JSON.stringify({ bpm: 100, steps: 4, since: Date.now() }));
    await page.locator('#beat', { hasText: '100' }).waitFor({ timeout: 10_000 });
    expect(await beat.isVisible()).toBe(true);
    await setTempo('');
    expect(errors).toEqual([]);
  });
});
