import { commonEnv } from '../shared/runtime/config.js';
import {
  envExampleLines,
  markdownTable,
  ownRows,
  replaceBetween,
  settingRows,
  type SettingRow,
} from '../shared/runtime/settings-doc.js';
import { brokerEnv } from './broker/config.js';
import { mapperEnv } from './mapper/config.js';
import { sensorEnv } from './sensor/config.js';
import { supervisorEnv } from './supervisor/config.js';
import { synthEnv } from './synth/config.js';
import { visualiserEnv } from './visualiser/config.js';

/**
 * Every environment setting, grouped by the doc that shows it. The zod schemas are the one
 * place a setting is described; `npm run docs:settings` (scripts/write-settings-docs.mjs)
 * writes these tables into the docs and `.env.example`, and test/shared/settings-docs.test.ts
 * fails when one is out of date.
 */
export interface SettingsDoc {
  /** Who reads these settings, as `.env.example` heads them. */
  readonly title: string;
  /** Repo-relative Markdown file holding the table between the markers. */
  readonly file: string;
  readonly rows: readonly SettingRow[];
}

export const settingsDocs: readonly SettingsDoc[] = [
  { title: 'Every service', file: 'docs/services/README.md', rows: settingRows(commonEnv) },
  { title: 'Broker (embedded aedes)', file: 'docs/services/broker.md', rows: ownRows(brokerEnv, commonEnv) },
  { title: 'Note mapper', file: 'docs/services/mapper.md', rows: ownRows(mapperEnv, commonEnv) },
  { title: 'Synth', file: 'docs/services/synth.md', rows: ownRows(synthEnv, commonEnv) },
  { title: 'Visualiser', file: 'docs/services/visualiser.md', rows: ownRows(visualiserEnv, commonEnv) },
  { title: 'Sensor reader', file: 'docs/services/sensor.md', rows: ownRows(sensorEnv, commonEnv) },
  {
    title: 'Supervisor (runs every Procfile line)',
    file: 'docs/services/supervisor.md',
    rows: settingRows(supervisorEnv),
  },
];

export const TABLE_BEGIN = '<!-- settings:begin (written by npm run docs:settings from the zod schemas) -->';
export const TABLE_END = '<!-- settings:end -->';
export const ENV_EXAMPLE = '.env.example';

/** `text` (a doc) with its settings table as the schema says; undefined if it has no markers. */
export const withSettingsTable = (text: string, doc: SettingsDoc): string | undefined =>
  replaceBetween(text, TABLE_BEGIN, TABLE_END, markdownTable(doc.rows));

/** The whole of `.env.example`: every setting once, commented out, with its default. */
export function envExampleText(): string {
  const seen = new Set<string>();
  const sections = settingsDocs.map((doc) => {
    const rows = doc.rows.filter((row) => !seen.has(row.name));
    for (const row of rows) seen.add(row.name);
    return [``, `# ---- ${doc.title} (${doc.file})`, ...envExampleLines(rows)].join('\n');
  });
  return [
    '# Copy to .env and uncomment what you change; foreman (npm start) reads it. Every setting is optional.',
    '# npm start writes a random SERVICE_PASSWORD to .env when none is set. Never commit .env.',
    `# Written by npm run docs:settings from the settings' zod schemas: change a description there, not here.`,
    ...sections,
    '',
  ].join('\n');
}
