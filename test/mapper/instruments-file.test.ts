import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { instrumentFiles } from '../helpers/instrument-files.js';
import { defaultInstruments } from '../../services/mapper/instruments.js';
import { loadInstruments } from '../../services/mapper/instruments-file.js';
import { instrumentsJsonSchema, INSTRUMENTS_SCHEMA_PATH } from '../../services/mapper/instruments-json-schema.js';
import { repoRoot } from '../helpers/procfile.js';

const { file, problemsOf } = instrumentFiles();

describe('INSTRUMENTS_FILE', () => {
  it('without a file, the table is the defaults', () => {
    expect(loadInstruments(undefined)).toEqual(defaultInstruments);
  });

  it('overrides only the fields it names, of only the instruments it names', () => {
    const table = loadInstruments(
      file({ instruments: { '3': { scale: 'dorian', root: 'D' }, '16': { velocity: 64 } } }),
    );
    expect(table[2]).toEqual({ ...defaultInstruments[2], scale: 'dorian', root: 'D' });
    expect(table[15]).toEqual({ ...defaultInstruments[15], velocity: 64 });
    expect(table.filter((_, i) => i !== 2 && i !== 15)).toEqual(
      defaultInstruments.filter((_, i) => i !== 2 && i !== 15),
    );
  });

  it('accepts a $schema reference for editors, and an empty override list', () => {
    expect(loadInstruments(file({ $schema: '../schemas/instruments.schema.json', instruments: {} }))).toEqual(
      defaultInstruments,
    );
  });

  it('stops with the file, the field path and the reason for an unknown scale', () => {
    const path = file({ instruments: { '3': { scale: 'lydian-ish' } } });
    const [problem, ...rest] = problemsOf(path);
    expect(rest).toEqual([]);
    expect(problem).toMatch(/^instruments\.3\.scale: .*expected one of .*"dorian".*, got "lydian-ish"$/);
  });

  it.each([
    [{ instruments: { '2': { velocity: 200 } } }, /^instruments\.2\.velocity: Too big: .*<=127, got 200$/],
    [{ instruments: { '1': { colour: 'red' } } }, /^instruments\.1\.colour: a hex colour like "#f5c542", got "red"$/],
    [{ instruments: { '4': { transpose: 1.5 } } }, /^instruments\.4\.transpose: .*expected int.*, got 1.5$/],
    [{ instruments: { '5': { channel: 0 } } }, /^instruments\.5\.channel: Too small: .*>=1, got 0$/],
    [{ instruments: { '6': { root: 'H' } } }, /^instruments\.6\.root: .*expected one of .*, got "H"$/],
    [{ instruments: { '7': { color: '#ffffff' } } }, /^instruments\.7: Unrecognized key: "color"/],
    [{ instruments: { '17': { velocity: 1 } } }, /^instruments: Unrecognized key: "17"/],
    [{ instruments: { '1': 'piano' } }, /^instruments\.1: .*expected object, .*got "piano"$/],
    [{ instrument: {} }, /Unrecognized key: "instrument"|instruments: .*expected object/],
  ])('stops with the field and the reason: %j', (content, expected) => {
    expect(problemsOf(file(content))).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });

  it('names every problem of a file at once', () => {
    const problems = problemsOf(
      file({ instruments: { '1': { velocity: -1 }, '9': { scale: 'x', durationMs: 'long' } } }),
    );
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'instruments.1.velocity',
      'instruments.9.durationMs',
      'instruments.9.scale',
    ]);
    expect(problems).toHaveLength(3);
  });

  it('stops on a file that is not JSON, or is missing', () => {
    expect(problemsOf(file('{"instruments": {'))).toEqual([expect.stringMatching(/^not valid JSON: /)]);
    expect(problemsOf(join(dirname(file('{}')), 'missing.json'))).toEqual([
      expect.stringMatching(/^cannot read the file: ENOENT/),
    ]);
  });

  it('loads the example file shipped in examples/', () => {
    const table = loadInstruments(resolve(repoRoot, 'examples/instruments.json'));
    expect(table[1]).toMatchObject({ name: 'Synth bass', scale: 'dorian', root: 'D' });
  });
});

describe('JSON Schema for INSTRUMENTS_FILE', () => {
  it('is shipped exactly as generated from the zod schema (npm run schema regenerates it)', () => {
    const shipped = readFileSync(resolve(repoRoot, INSTRUMENTS_SCHEMA_PATH), 'utf8');
    expect(shipped).toBe(instrumentsJsonSchema());
  });

  it('lists instruments 1–16, every field, and the scales for autocompletion', () => {
    const schema = JSON.parse(instrumentsJsonSchema()) as {
      properties: { instruments: { properties: Record<string, unknown>; additionalProperties: boolean } };
      $defs: { instrument: { properties: Record<string, { enum?: string[] }> } };
    };
    expect(Object.keys(schema.properties.instruments.properties)).toEqual(
      Array.from({ length: 16 }, (_, i) => String(i + 1)),
    );
    expect(schema.properties.instruments.additionalProperties).toBe(false);
    expect(Object.keys(schema.$defs.instrument.properties).sort()).toEqual(
      [
        'channel',
        'colour',
        'durationMs',
        'maxNotesPerSecond',
        'name',
        'program',
        'retriggerMs',
        'root',
        'scale',
        'transpose',
        'velocity',
      ].sort(),
    );
    expect(schema.$defs.instrument.properties.scale!.enum).toContain('minor-pentatonic');
  });
});
