import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

/**
 * Debian's Chromium (`apt-get install chromium`), found on PATH (or CHROMIUM_PATH); never a
 * downloaded browser. Missing, it fails the test with the install command.
 */
export function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'chromium');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  throw new Error('chromium is not on PATH: apt-get install chromium');
}

/**
 * Headless Chromium through playwright-core with the flags that work on this kind of machine.
 * Playwright gives every launch a fresh temporary profile (--user-data-dir) and removes it on close.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Everything a page reported as an error: console.error lines, uncaught exceptions, failed requests. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  return errors;
}

export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  /** What the page reported as an error so far (see collectPageErrors); grows while it runs. */
  errors: string[];
}

/**
 * The visualiser's page in a fresh browser context (its own profile state), once it is connected
 * to the broker and has drawn a lane for each of the 16 instruments. The caller closes the context.
 */
export async function openVisualiserPage(
  browser: Browser,
  url: string,
  options: BrowserContextOptions = {},
): Promise<OpenedPage> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  try {
    await page.goto(url);
    await page.locator('#connection[data-state="connected"]').waitFor({ timeout: 15_000 });
    await page.locator('#lanes .lane').nth(15).waitFor({ timeout: 10_000 });
  } catch (error) {
    await context.close();
    throw new Error(
      `the page at ${url} did not open: ${(error as Error).message}; page errors: ${JSON.stringify(errors)}`,
    );
  }
  return { context, page, errors };
}

/** Turns the "Sound" switch on and waits until the page's sound engine runs. */
export async function turnSoundOn(page: Page): Promise<void> {
  await page.locator('#sound').click();
  await page.locator('#sound[aria-checked="true"]').waitFor({ timeout: 15_000 });
}
