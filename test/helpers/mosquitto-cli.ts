import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { waitFor } from './wait.js';

const run = promisify(execFile);

/**
 * `mosquitto_pub`, Debian's command-line client, as an audience member would use it; a null
 * message sends an empty payload (`-n`).
 */
export async function mosquittoPub(
  port: number,
  topic: string,
  message: string | null,
  extra: string[] = [],
): Promise<void> {
  const body = message === null ? ['-n'] : ['-m', message];
  await run('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(port), '-t', topic, ...body, ...extra]);
}

export interface Subscriber {
  /** Lines as `topic payload` (mosquitto_sub -v). */
  readonly lines: string[];
  messages(topic: string): string[];
  next(topic: string, predicate?: (payload: string) => boolean, timeoutMs?: number): Promise<string>;
  stop(): void;
}

/**
 * A long-running `mosquitto_sub -v`; resolves once it is subscribed. A client that could not
 * connect (the broker still starting, a loaded machine) is started again, up to three times.
 */
export async function mosquittoSub(port: number, topics: string[], attempts = 3): Promise<Subscriber> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startSubscriber(port, topics);
    } catch (error) {
      if (attempt >= attempts) throw error;
    }
  }
}

async function startSubscriber(port: number, topics: string[]): Promise<Subscriber> {
  const args = ['-h', '127.0.0.1', '-p', String(port), '-v', '-q', '1', '-d', ...topics.flatMap((t) => ['-t', t])];
  const child = spawn('mosquitto_sub', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let subscribed = false;
  let exited = false;
  let said = '';
  let buffer = '';
  child.stderr.on('data', (chunk: Buffer) => (said += chunk.toString('utf8')));
  child.once('exit', () => (exited = true));
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    for (const line of parts) {
      if (line.startsWith('Client ')) {
        if (line.includes('received SUBACK')) subscribed = true;
        else said += `${line}\n`;
        continue;
      }
      if (line.startsWith('Subscribed (mid')) continue;
      lines.push(line);
    }
  });
  try {
    await waitFor(
      `mosquitto_sub subscribed on port ${port}`,
      () => {
        if (exited && !subscribed) throw new Error(`mosquitto_sub exited before subscribing: ${said.trim()}`);
        return subscribed;
      },
      10_000,
    );
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message} (mosquitto_sub said: ${said.trim().slice(-400)})`);
  }
  const messages = (topic: string) =>
    lines.filter((l) => l.startsWith(`${topic} `)).map((l) => l.slice(topic.length + 1));
  return {
    lines,
    messages,
    next: (topic, predicate = () => true, timeoutMs = 5_000) =>
      waitFor(`mosquitto_sub to see ${topic}`, () => messages(topic).find(predicate), timeoutMs),
    stop: () => child.kill('SIGTERM'),
  };
}
