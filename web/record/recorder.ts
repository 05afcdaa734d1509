import type { NoteEvent } from '../../shared/contract/contract.js';
import { smfFileBytes } from '../../shared/contract/smf.js';
import { heardNote, heardToCommands, type HeardNote } from './heard-notes.js';

/** Notes one recording keeps at most (a night-long flood must not eat a phone's memory); the rest are counted. */
export const MAX_RECORDED_NOTES = 100_000;

/**
 * What the page heard since "Record", kept to be downloaded as a Standard MIDI File. Time 0 is
 * when recording started; times are the page's clock when each note event arrived.
 */
export class PerformanceRecorder {
  private notes: HeardNote[] = [];
  private startedAt: number | undefined;
  private dropped = 0;
  private on = false;

  constructor(private readonly maxNotes = MAX_RECORDED_NOTES) {}

  get recording(): boolean {
    return this.on;
  }

  /** Notes in the recording. */
  get noteCount(): number {
    return this.notes.length;
  }

  /** Notes heard while recording that did not fit. */
  get droppedCount(): number {
    return this.dropped;
  }

  /** Starts a new recording (the previous one is gone). */
  start(at: number): void {
    this.notes = [];
    this.dropped = 0;
    this.startedAt = at;
    this.on = true;
  }

  stop(): void {
    this.on = false;
  }

  /** A note event that arrived at page time `at`; kept only while recording. */
  heard(note: NoteEvent, at: number): void {
    if (!this.on) return;
    if (this.notes.length >= this.maxNotes) {
      this.dropped += 1;
      return;
    }
    this.notes.push(heardNote(note, at));
  }

  /** The recording as a Standard MIDI File (format 0, 1 tick = 1 ms), or undefined before any note. */
  file(title: string): Uint8Array<ArrayBuffer> | undefined {
    if (this.startedAt === undefined || this.notes.length === 0) return undefined;
    return smfFileBytes(heardToCommands(this.notes, this.startedAt), title);
  }
}

/** A file name that sorts by when it was recorded: `openwest-2026-11-29-17-20-05.mid`. */
export const recordingFileName = (date: Date): string =>
  `openwest-${date.toISOString().slice(0, 19).replace(/[T:]/g, '-')}.mid`;

/** The status beside the buttons. */
export function recordingText(recorder: Pick<PerformanceRecorder, 'recording' | 'noteCount' | 'droppedCount'>): string {
  const notes = `${recorder.noteCount} note${recorder.noteCount === 1 ? '' : 's'}`;
  const dropped = recorder.droppedCount > 0 ? ` (${recorder.droppedCount} more did not fit)` : '';
  if (recorder.recording) return `recording: ${notes}${dropped}`;
  return recorder.noteCount > 0 ? `recorded ${notes}${dropped}` : 'not recording';
}
