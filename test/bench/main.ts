// `npm run bench [-- --quick | --tiny] [--only 1,3] [--out DIR]`: runs the benchmark, prints a
// table, writes DIR/latest.json and DIR/latest.md (quick.* and tiny.* for the shorter modes).
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '../helpers/procfile.js';
import { toConsole, toMarkdown } from './report.js';
import { runBench, TITLES } from './run-bench.js';
import { settingsFor } from './settings.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    tiny: { type: 'boolean', default: false },
    only: { type: 'string' },
    out: { type: 'string', default: resolve(repoRoot, 'bench-results') },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  process.stdout.write(
    [
      'npm run bench [-- --quick | --tiny] [--only 1,3] [--out DIR]',
      '  runs the benchmark scenarios, prints a table and writes DIR/latest.json and DIR/latest.md',
      '  (quick.* and tiny.* for the shorter modes; DIR defaults to bench-results/).',
      '  Full mode takes about 4 minutes; run it on a quiet machine: the report records the load.',
      '  BENCH_CPU_PROF=DIR writes CPU profiles of the services.',
      '',
      ...Object.entries(TITLES).map(([id, [, title]]) => `  ${id}  ${title}`),
      '',
    ].join('\n'),
  );
  process.exit(0);
}
const mode = values.tiny ? 'tiny' : values.quick ? 'quick' : 'full';
const only = values.only?.split(',').map(Number);
const report = await runBench(settingsFor[mode], {
  ...(only ? { only } : {}),
  log: (line) => process.stderr.write(`bench: ${line}\n`),
});

const base = mode === 'full' ? 'latest' : mode;
mkdirSync(values.out, { recursive: true });
writeFileSync(resolve(values.out, `${base}.json`), `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(resolve(values.out, `${base}.md`), toMarkdown(report));
process.stdout.write(`${toConsole(report)}\n\nwritten: ${resolve(values.out, `${base}.json`)} and .md\n`);
process.exit(report.scenarios.some((s) => s.status === 'failed') ? 1 : 0);
