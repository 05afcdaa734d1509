import { renameSync, writeFileSync } from 'node:fs';
import type { Logger } from '../../../shared/runtime/logger.js';
import type { SynthCommand } from '../commands.js';
import { encodeEvents, smfBytes, toTrackEvents, trackStart, type TimedCommand } from './smf.js';

export interface RecorderOptions {
  path: string;
  /** How often the file is rewritten while playing: what a crash can lose at most. */
  flushEveryMs: number;
  log: Logger;
  /** Monotonic milliseconds. */
  now?: () => number;
}

/**
 * Records every command sent to the output and keeps `path` a valid Standard MIDI File. The file
 * is rewritten whole through a temp file and a rename, so a reader (or a crash) never sees half a
 * file: at start, every `flushEveryMs` while something new was played, and on `close`. Only what
 * is new since the last write is encoded; the rest is kept as bytes (about 4 a command), so a
 * long show costs a copy of its bytes per write, not an encoding of its every note. Writes are
 * synchronous on purpose: the last one happens on the way out of the process, and no two writes
 * can overtake each other. Time 0 is the first command.
 */
export class MidiRecorder {
  private pending: TimedCommand[] = [];
  private readonly encoded: Uint8Array[];
  private readonly now: () => number;
  private readonly timer: NodeJS.Timeout;
  private startedAt: number | undefined;
  private lastTick = 0;
  private dirty = true;
  private failed = false;

  /** Throws, naming the file and the reason, when the file cannot be written at all. */
  constructor(private readonly options: RecorderOptions) {
    this.now = options.now ?? (() => performance.now());
    this.encoded = [encodeEvents(trackStart(`OpenWest ${new Date().toISOString()}`))];
    try {
      this.write();
    } catch (error) {
      throw new Error(`RECORD_MIDI: cannot write ${options.path}: ${(error as Error).message}`);
    }
    this.timer = setInterval(() => this.flush(), options.flushEveryMs);
    this.timer.unref();
  }

  get path(): string {
    return this.options.path;
  }

  /** `now`: when the command left, on the recorder's monotonic clock (read here if not given). */
  record(command: SynthCommand, now: number = this.now()): void {
    this.startedAt ??= now;
    this.pending.push({ atMs: now - this.startedAt, command });
  }

  /** Writes the file if anything was recorded since the last write; logs (once) if it cannot. */
  flush(): void {
    if (this.pending.length === 0 && !this.dirty) return;
    try {
      this.write();
      this.failed = false;
    } catch (error) {
      if (!this.failed)
        this.options.log.error(`cannot write the MIDI recording ${this.options.path}: ${(error as Error).message}`);
      this.failed = true;
    }
  }

  /** Stops the periodic flush and writes everything recorded. */
  close(): void {
    clearInterval(this.timer);
    this.flush();
  }

  private write(): void {
    if (this.pending.length > 0) {
      const { events, lastTick } = toTrackEvents(this.pending, this.lastTick);
      this.encoded.push(encodeEvents(events));
      if (this.encoded.length > 64) this.encoded.splice(0, this.encoded.length, Buffer.concat(this.encoded));
      this.lastTick = lastTick;
      this.pending = [];
    }
    this.dirty = true;
    const temp = `${this.options.path}.tmp`;
    writeFileSync(temp, smfBytes(this.encoded));
    renameSync(temp, this.options.path);
    this.dirty = false;
  }
}
