import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/procfile.js';

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );

const importsOf = (file: string): string[] =>
  [...readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1] ?? '');

/** Files under `dir` with an import matching `pattern`, as repo-relative paths with the import. */
const offending = (dir: string, pattern: RegExp): string[] =>
  sources(resolve(repoRoot, dir)).flatMap((file) =>
    importsOf(file)
      .filter((spec) => pattern.test(spec))
      .map((spec) => `${relative(repoRoot, file)} imports ${spec}`),
  );

/** Node's own modules, however they are named: `node:fs`, `fs`, `fs/promises`. */
const NODE = new RegExp(`^(node:|(${builtinModules.join('|')})(/|$))`);

describe('the ground floor', () => {
  it('shared/contract/ runs in the browser too: it imports neither Node nor the Node runtime', () => {
    expect(offending('shared/contract', NODE)).toEqual([]);
    expect(offending('shared/contract', /\/runtime\/|^(\.\.\/)+services\//)).toEqual([]);
  });

  it('the page imports nothing from services/ or shared/runtime/: what it shares lives in shared/contract/', () => {
    expect(offending('web', NODE)).toEqual([]);
    expect(offending('web', /(\.\.\/)+services\/|shared\/runtime\//)).toEqual([]);
  });

  it('shared/ holds no entry point: no top-level call, so nothing in it runs when imported', () => {
    const entries = sources(resolve(repoRoot, 'shared')).filter((file) =>
      /^#!|^await |^[a-z][\w.]*\(/m.test(readFileSync(file, 'utf8')),
    );
    expect(entries.map((f) => relative(repoRoot, f))).toEqual([]);
  });
});
