import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/procfile.js';

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));

describe('the page’s code', () => {
  it('imports nothing from services/: what it shares with them lives in shared/', () => {
    const offending = sources(resolve(repoRoot, 'web')).filter((file) => /from ['"](\.\.\/)+services\//.test(readFileSync(file, 'utf8')));
    expect(offending.map((f) => relative(repoRoot, f))).toEqual([]);
  });
});
