import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { loadInstruments } from '../../services/mapper/instruments-file.js';
import { ConfigError } from '../../shared/runtime/config.js';

/**
 * Instrument files for a test file, in a folder of their own removed after all its tests:
 * `file` writes one (an object as JSON, a string as it is), `problemsOf` loads one expecting a
 * ConfigError that names the file, and returns its problems.
 */
export function instrumentFiles() {
  const dir = mkdtempSync(join(tmpdir(), 'openwest-instruments-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let files = 0;
  const file = (content: unknown): string => {
    const path = join(dir, `instruments-${++files}.json`);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };
  const problemsOf = (path: string): string[] => {
    try {
      loadInstruments(path);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toContain(path);
      return [...(error as ConfigError).problems];
    }
    throw new Error(`${path} was accepted`);
  };
  return { file, problemsOf };
}
