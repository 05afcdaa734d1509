import { describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait.js';

describe('the tests’ waitFor', () => {
  it('waits past every falsy value (0 too) and returns the first truthy one', async () => {
    const values = [0, undefined, null, false, '', 3];
    let i = 0;
    expect(await waitFor('a count', () => values[i++] as number, 1_000, 1)).toBe(3);
    expect(i).toBe(6);
  });

  it('names what it waited for when time runs out', async () => {
    await expect(waitFor('the impossible', () => 0, 50, 5)).rejects.toThrow(
      'timed out after 50 ms waiting for the impossible',
    );
  });
});
