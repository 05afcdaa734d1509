import { describe, expect, it } from 'vitest';
import { pageUrls, startupBanner } from '../../services/visualiser/banner.js';

const urls = pageUrls(['192.168.1.20', 'laptop.local'], 3000);

describe('the start-up banner', () => {
  it('names every address of the page and the stage screen to put on the projector', async () => {
    const banner = await startupBanner(urls, false);
    expect(banner).toContain('page: http://192.168.1.20:3000/');
    expect(banner).toContain('page: http://laptop.local:3000/');
    expect(banner).toContain('stage: http://192.168.1.20:3000/stage/');
  });

  it('under foreman (no terminal) prints no QR code and no colour codes, which its prefixes would garble', async () => {
    const banner = await startupBanner(urls, false);
    expect(banner).not.toContain('scan to open');
    // eslint-disable-next-line no-control-regex -- looking for terminal escape codes is the point
    expect(banner).not.toMatch(/\u001b\[/);
    expect(banner).not.toMatch(/[█▀▄]/);
  });

  it('in a terminal draws the QR code of the first address in block characters', async () => {
    const banner = await startupBanner(urls, true);
    expect(banner).toContain('scan to open http://192.168.1.20:3000/');
    expect(banner.split('\n').filter((line) => /[█▀▄]/.test(line)).length).toBeGreaterThan(10);
  });

  it('with no address says only that it is ready', async () => {
    expect(await startupBanner([], true)).toBe(
      'visualiser ready: open the page on any phone or laptop on this network',
    );
  });
});
