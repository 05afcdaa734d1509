import { join } from 'node:path';

/**
 * Where RECORD_MIDI writes: the file it names, or, when it names a folder (an existing one, or
 * any path ending in `/`), a new timestamped file in it per run: `openwest-2026-11-25T16-40-03.mid`.
 */
export function recordingPath(setting: string, now: Date, isFolder: (path: string) => boolean): string {
  if (setting.endsWith('/') || isFolder(setting)) {
    const stamp = now.toISOString().slice(0, 19).replace(/:/g, '-');
    return join(setting, `openwest-${stamp}.mid`);
  }
  return setting;
}
