import { describe, expect, it } from 'vitest';
import { instrumentFiles } from '../helpers/instrument-files.js';
import { loadInstruments } from '../../services/mapper/instruments-file.js';

const { file, problemsOf } = instrumentFiles();

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
