import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadInstruments } from '../../services/mapper/instruments-file.js';
import { ConfigError } from '../../shared/runtime/config.js';

const dir = mkdtempSync(join(tmpdir(), 'openwest-retired-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
const file = (content: unknown) => {
  const path = join(dir, `instruments-${++files}.json`);
  writeFileSync(path, JSON.stringify(content));
  return path;
};

const problemsOf = (path: string): string[] => {
  try {
    loadInstruments(path);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).problems];
  }
  throw new Error(`${path} was accepted`);
};

describe('an INSTRUMENTS_FILE written for the old per-instrument interval (minIntervalMs)', () => {
  it('stops start-up and names what replaced the field, once per instrument, without a bare "unrecognized key"', () => {
    const problems = problemsOf(file({ instruments: { '1': { minIntervalMs: 0 }, '10': { minIntervalMs: 30 } } }));
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(
      /^instruments\.1\.minIntervalMs: retired: replaced by retriggerMs .* and maxNotesPerSecond/,
    );
    expect(problems[1]).toMatch(/^instruments\.10\.minIntervalMs: retired: /);
    expect(problems.join('\n')).not.toMatch(/nrecognized/);
  });

  it('still reports the other problems of the same file', () => {
    const problems = problemsOf(file({ instruments: { '3': { minIntervalMs: 10, velocity: 300 } } }));
    expect(problems[0]).toMatch(/^instruments\.3\.minIntervalMs: retired: /);
    expect(problems[1]).toMatch(/^instruments\.3\.velocity: Too big/);
    expect(problems).toHaveLength(2);
  });

  it('accepts the new fields', () => {
    const table = loadInstruments(file({ instruments: { '10': { retriggerMs: 20, maxNotesPerSecond: 40 } } }));
    expect(table[9]).toMatchObject({ instrument: 10, retriggerMs: 20, maxNotesPerSecond: 40 });
  });

  it('refuses a fractional or negative cap with the field and the reason', () => {
    const problems = problemsOf(file({ instruments: { '2': { maxNotesPerSecond: 2.5, retriggerMs: -1 } } }));
    expect(problems).toEqual([
      expect.stringMatching(/^instruments\.2\.retriggerMs: Too small/),
      expect.stringMatching(/^instruments\.2\.maxNotesPerSecond: .*expected int.*got 2\.5$/),
    ]);
  });
});
