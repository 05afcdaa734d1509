/**
 * Polls `check` until it gives a truthy value, and returns it; throws after `timeoutMs` naming
 * `what`. Every falsy value (undefined, null, false, 0, '') means "not yet": `() => list.length`
 * waits for the list to fill, not returns 0 at once.
 */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | null | false | 0 | '' | Promise<T | undefined | null | false | 0 | ''>,
  timeoutMs = 10_000,
  everyMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
