import type { NoteEvent } from '../../shared/contract/contract.js';
import { el, setText } from '../view/dom.js';
import { PerformanceRecorder, recordingFileName, recordingText } from './recorder.js';

/**
 * "Record" and "Download .mid": the page records the note events it hears and hands them over
 * as a Standard MIDI File, made in the browser (no server involved). Builds itself into `mount`.
 */
export class RecordControl {
  private readonly recorder = new PerformanceRecorder();
  private readonly toggle: HTMLButtonElement;
  private readonly download: HTMLButtonElement;
  private readonly status: HTMLParagraphElement;

  constructor(
    mount: HTMLElement,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.toggle = el('button', { id: 'record', type: 'button', 'aria-pressed': 'false' }, 'Record');
    this.download = el('button', { id: 'record-download', type: 'button' }, 'Download .mid');
    this.status = el('p', { id: 'record-status', class: 'record-status', role: 'status' });
    mount.replaceChildren(this.toggle, this.download, this.status);
    this.toggle.addEventListener('click', () => this.flip());
    this.download.addEventListener('click', () => this.save());
    this.show();
  }

  /** A note event as it arrived (page clock). */
  heard(note: NoteEvent, at: number): void {
    if (!this.recorder.recording) return;
    this.recorder.heard(note, at);
    this.show();
  }

  private flip(): void {
    if (this.recorder.recording) this.recorder.stop();
    else this.recorder.start(this.now());
    this.show();
  }

  private save(): void {
    const started = new Date();
    const bytes = this.recorder.file(`OpenWest, recorded on the page ${started.toISOString()}`);
    if (!bytes) return;
    const url = URL.createObjectURL(new Blob([bytes], { type: 'audio/midi' }));
    const link = el('a', { href: url, download: recordingFileName(started) });
    link.click();
    // The download has its own copy once it started; the page need not keep the blob.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  private show(): void {
    const { recording, noteCount } = this.recorder;
    this.toggle.setAttribute('aria-pressed', String(recording));
    this.toggle.dataset.recording = String(recording);
    this.download.disabled = noteCount === 0;
    setText(this.status, recordingText(this.recorder));
  }
}
