import { clip } from '../../shared/contract/topics.js';
import type { SensorEvent } from './readings.js';

/** The knobs firmware's line protocol (hardware/README.md): `<knob>:<raw>` and `#` lines. */
export const ARDUINO_RAW_MAX = 1023;
export const MAX_KNOBS = 16;
/** Longer lines are not from the firmware (its longest is the hello line). */
export const MAX_LINE_CHARS = 64;

const READING = /^(\d{1,2}):(\d{1,4})$/;
const HELLO = /^#([a-z0-9-]+) (\d+) knobs=(\d+)$/;

/** One line as the firmware prints it (without its line ending) → an event. Never throws. */
export function parseSerialLine(line: string): SensorEvent | undefined {
  const text = line.trim();
  if (text === '') return undefined;
  if (text.length > MAX_LINE_CHARS) return malformed(line, `line longer than ${MAX_LINE_CHARS} characters`);
  if (text.startsWith('#')) {
    const hello = HELLO.exec(text);
    if (!hello) return { kind: 'line', text };
    return { kind: 'hello', firmware: hello[1]!, version: Number(hello[2]), knobs: Number(hello[3]) };
  }
  const match = READING.exec(text);
  if (!match) return malformed(line, 'expected <knob>:<raw>, like 0:512');
  const knob = Number(match[1]);
  const raw = Number(match[2]);
  if (knob >= MAX_KNOBS) return malformed(line, `knob ${knob} out of range 0-${MAX_KNOBS - 1}`);
  if (raw > ARDUINO_RAW_MAX) return malformed(line, `raw ${raw} out of range 0-${ARDUINO_RAW_MAX}`);
  return { kind: 'reading', reading: { knob, raw, rawMax: ARDUINO_RAW_MAX } };
}

const malformed = (line: string, reason: string): SensorEvent => ({
  kind: 'malformed',
  line: clip(line, MAX_LINE_CHARS),
  reason,
});

/**
 * Splits a byte stream into lines (`\n`, with an optional `\r`). A run of bytes longer than
 * MAX_LINE_CHARS without a line end is given up as one over-long line, so garbage on the wire
 * cannot grow the buffer without bound.
 */
export class LineSplitter {
  private pending = '';
  private overlong = false;

  push(chunk: Buffer | string): string[] {
    const lines: string[] = [];
    // latin1 keeps every byte as one character: garbage stays visible and never fails to decode.
    const text = typeof chunk === 'string' ? chunk : chunk.toString('latin1');
    for (const ch of text) {
      if (ch === '\n') {
        lines.push(this.overlong ? this.pending + '…' : this.pending.replace(/\r$/, ''));
        this.pending = '';
        this.overlong = false;
      } else if (this.pending.length <= MAX_LINE_CHARS) {
        this.pending += ch;
      } else {
        this.overlong = true;
      }
    }
    return lines;
  }
}
