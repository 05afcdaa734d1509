import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { brokerEnv } from '../../services/broker/config.js';
import { mapperEnv } from '../../services/mapper/config.js';
import { sensorEnv } from '../../services/sensor/config.js';
import { ENV_EXAMPLE, envExampleText, settingsDocs, withSettingsTable } from '../../services/settings.js';
import { supervisorEnv } from '../../services/supervisor/config.js';
import { synthEnv } from '../../services/synth/config.js';
import { visualiserEnv } from '../../services/visualiser/config.js';
import { commonEnv } from '../../shared/runtime/config.js';
import { serviceHelp } from '../../shared/runtime/run-service.js';
import { settingRows } from '../../shared/runtime/settings-doc.js';
import { repoRoot } from '../helpers/procfile.js';

const FIX = 'run `npm run docs:settings` to write it from the schemas';
const read = (file: string) => readFileSync(resolve(repoRoot, file), 'utf8');

const schemas = { commonEnv, brokerEnv, mapperEnv, synthEnv, sensorEnv, visualiserEnv, supervisorEnv };
const allRows = Object.values(schemas).flatMap((schema) => settingRows(schema));
const described = new Set(allRows.map((row) => row.name));

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.(ts|mjs)$/.test(e.name) ? [join(dir, e.name)] : [],
  );

describe('each setting is described once, in its schema', () => {
  it('every setting has a description; every optional one says what leaving it unset means', () => {
    const missing = allRows.filter((row) => !row.description.trim()).map((row) => row.name);
    expect(missing, 'settings without .describe()').toEqual([]);
    const silent = allRows.filter((row) => row.default === undefined && !/unset/.test(row.description));
    expect(
      silent.map((row) => row.name),
      'optional settings whose description does not say what "unset" means',
    ).toEqual([]);
  });

  it('a setting in two schemas is the same setting: one default, one description', () => {
    const byName = new Map<string, string>();
    const clashes: string[] = [];
    for (const row of allRows) {
      const said = `${row.default} · ${row.description}`;
      if (byName.has(row.name) && byName.get(row.name) !== said) clashes.push(row.name);
      byName.set(row.name, said);
    }
    expect(clashes).toEqual([]);
  });

  it('every variable read from the environment in services/, shared/ or the Procfile is in a schema', () => {
    const notSettings = new Set(['PATH']); // the system's, read to find programs
    const read_ = sources(resolve(repoRoot, 'services'))
      .concat(sources(resolve(repoRoot, 'shared')))
      .flatMap((file) =>
        [...readFileSync(file, 'utf8').matchAll(/process\.env\.([A-Z][A-Z0-9_]*)|\benv\.([A-Z][A-Z0-9_]*)/g)].map(
          (m) => `${relative(repoRoot, file)}: ${m[1] ?? m[2]}`,
        ),
      );
    const procfile = [...read('Procfile').matchAll(/\$\{?([A-Z][A-Z0-9_]*)/g)].map((m) => `Procfile: ${m[1]}`);
    const unknown = [...read_, ...procfile].filter((hit) => {
      const name = hit.split(': ')[1]!;
      return !described.has(name) && !notSettings.has(name);
    });
    expect(unknown, 'give each a described field in a zod schema (services/<name>/config.ts)').toEqual([]);
  });

  it('the settings tables in docs/services/*.md are the schemas', () => {
    for (const doc of settingsDocs) {
      const text = read(doc.file);
      const expected = withSettingsTable(text, doc);
      expect(expected, `${doc.file} has no settings markers`).toBeDefined();
      expect(text === expected, `${doc.file} is out of date: ${FIX}`).toBe(true);
    }
  });

  it('.env.example is the schemas: every setting once with its default, nothing else', () => {
    const text = read(ENV_EXAMPLE);
    expect(text === envExampleText(), `${ENV_EXAMPLE} is out of date: ${FIX}`).toBe(true);
    const names = [...text.matchAll(/^# ([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((m) => m[1]);
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(names)).toEqual(described);
    for (const row of allRows)
      if (row.default !== undefined) expect(text).toContain(`\n# ${row.name}=${row.default}\n`);
  });

  it("every service's --help lists each of its settings with its default", () => {
    for (const [name, schema] of Object.entries({
      broker: brokerEnv,
      mapper: mapperEnv,
      synth: synthEnv,
      sensor: sensorEnv,
      visualiser: visualiserEnv,
    })) {
      const help = serviceHelp(name, schema, 'intro');
      for (const row of settingRows(schema))
        expect(help, `${name} --help`).toContain(
          row.default === undefined ? `  ${row.name} ` : `  ${row.name} (${row.default})`,
        );
      expect(help).toContain(`docs/services/${name}.md`);
    }
  });
});
