#!/usr/bin/env node
// `npm run docs:settings`: writes the settings tables in docs/services/*.md (between the
// markers) and .env.example from the settings' zod schemas (services/settings.ts). Runs the
// TypeScript sources through tsx, so no build is needed.
import { readFileSync, writeFileSync } from 'node:fs';
import { ENV_EXAMPLE, envExampleText, settingsDocs, withSettingsTable } from '../services/settings.ts';

const root = new URL('../', import.meta.url);
let failed = false;
for (const doc of settingsDocs) {
  const text = readFileSync(new URL(doc.file, root), 'utf8');
  const next = withSettingsTable(text, doc);
  if (next === undefined) {
    process.stderr.write(`${doc.file}: no settings markers (<!-- settings:begin … --> … <!-- settings:end -->)\n`);
    failed = true;
  } else if (next !== text) {
    writeFileSync(new URL(doc.file, root), next);
    process.stdout.write(`wrote ${doc.file}\n`);
  }
}
const env = envExampleText();
if (readFileSync(new URL(ENV_EXAMPLE, root), 'utf8') !== env) {
  writeFileSync(new URL(ENV_EXAMPLE, root), env);
  process.stdout.write(`wrote ${ENV_EXAMPLE}\n`);
}
process.exit(failed ? 1 : 0);
