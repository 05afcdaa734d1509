import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Status } from '../../shared/contract/contract.js';
import { artifact, startPageRoom, type PageRoom } from '../helpers/page-room.js';
import { sleep, waitFor } from '../helpers/wait.js';

const SERVICES = ['mapper', 'synth', 'visualiser'];

let room: PageRoom;

beforeAll(async () => {
  room = await startPageRoom({ synth: true });
}, 60_000);

afterAll(() => room?.stop());

/** Each service's shown state on the page's services panel. */
async function shownStates(page: Page): Promise<Record<string, string>> {
  const items = page.locator('#services li[data-service]');
  const states: Record<string, string> = {};
  for (let i = 0, n = await items.count(); i < n; i++) {
    const item = items.nth(i);
    states[(await item.getAttribute('data-service')) ?? ''] = (await item.getAttribute('data-state')) ?? '';
  }
  return states;
}

const allOf = (states: Record<string, string>, state: string) => SERVICES.every((name) => states[name] === state);

describe('the page tells the truth about health when it loses the broker', { timeout: 120_000 }, () => {
  it('shows every service unknown while disconnected, ticks the retry countdown, and statuses again once back', async () => {
    for (const name of SERVICES) {
      await room.service.next(`openwest/status/${name}`, (m) => m.json<Status>().state === 'online', 15_000);
    }
    const { page, errors } = await room.openPage({ viewport: { width: 1280, height: 800 } });
    await waitFor('every service online on the page', async () => allOf(await shownStates(page), 'online'), 15_000);

    await room.stopBroker();
    await waitFor('every service unknown', async () => allOf(await shownStates(page), 'unknown'), 15_000);
    const unknown = await shownStates(page);
    expect(
      Object.values(unknown).every((s) => s === 'unknown'),
      JSON.stringify(unknown),
    ).toBe(true);
    expect(await page.locator('#services [data-service="mapper"] .state').textContent()).toBe('unknown');
    expect(await page.locator('#services-summary').textContent()).not.toContain('online');

    // The countdown: within one retry, the time left shown changes from one second to the next.
    const seen = new Map<string, Set<string>>();
    const ticked = await waitFor(
      'the retry countdown to tick',
      async () => {
        const text = (await page.locator('#connection').textContent()) ?? '';
        const m = /: retry (\d+) in (\d+\.\d) s$/.exec(text);
        if (!m) return undefined;
        const left = seen.get(m[1]!) ?? new Set<string>();
        left.add(m[2]!);
        seen.set(m[1]!, left);
        return left.size >= 2 ? [m[1], [...left]] : undefined;
      },
      30_000,
      200,
    );
    expect(ticked).toBeDefined();
    expect(await page.locator('#connection').getAttribute('data-state')).toBe('reconnecting');
    await page.screenshot({ path: artifact('health-broker-gone.png') });
    // Still unknown a while later: nothing the page holds from before the outage comes back on its own.
    await sleep(500);
    expect(allOf(await shownStates(page), 'unknown')).toBe(true);

    await room.startBroker();
    await page.locator('#connection[data-state="connected"]').waitFor({ timeout: 30_000 });
    await waitFor('every service online again', async () => allOf(await shownStates(page), 'online'), 30_000);
    expect(await page.locator('#services [data-service="synth"] .state').textContent()).toBe('online');
    const expected = new RegExp(
      `^console\\.error: WebSocket connection to 'ws://127\\.0\\.0\\.1:${room.broker.wsPort}/' failed`,
    );
    expect(errors.filter((e) => !expected.test(e))).toEqual([]);
  });
});
