import { pino, type Logger } from 'pino';

/** A real pino logger whose lines are kept for assertions. */
export function capturingLog(level: pino.Level = 'info'): {
  log: Logger;
  lines: { level: number; msg: string }[];
  text(): string;
} {
  const lines: { level: number; msg: string }[] = [];
  const log = pino({ level }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { log, lines, text: () => lines.map((l) => l.msg).join('\n') };
}
