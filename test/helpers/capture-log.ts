import { pino, type Logger } from 'pino';

type LogLine = { level: number; msg: string };

/** A real pino logger whose lines are kept for assertions. */
export function capturingLog(level: pino.Level = 'info'): {
  log: Logger;
  lines: LogLine[];
  // a property, not a method: tests destructure it (`const { log, text } = capturingLog()`)
  text: () => string;
} {
  const lines: LogLine[] = [];
  // pino writes one JSON object per line, each with its level and msg
  const log = pino({ level }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
  return { log, lines, text: () => lines.map((l) => l.msg).join('\n') };
}
