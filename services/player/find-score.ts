import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The repository's `scores/` folder, found upwards from this file (it runs from dist/ too). */
export function scoresDir(from: string = import.meta.dirname): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'scores')) && existsSync(join(dir, 'package.json'))) return join(dir, 'scores');
    if (dirname(dir) === dir) return undefined;
  }
}

/** A score argument → a file: a path as given, else `scores/<name>.score` of the repository. */
export function findScore(name: string, shipped = scoresDir()): string | undefined {
  if (existsSync(name)) return resolve(name);
  const candidate = shipped && join(shipped, name.endsWith('.score') ? name : `${name}.score`);
  return candidate && existsSync(candidate) ? candidate : undefined;
}

export function shippedScores(shipped = scoresDir()): string[] {
  if (!shipped) return [];
  return readdirSync(shipped)
    .filter((f) => f.endsWith('.score'))
    .map((f) => f.slice(0, -'.score'.length))
    .sort();
}
