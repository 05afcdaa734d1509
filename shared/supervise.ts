#!/usr/bin/env node
import { spawn, type ChildProcess } from 'node:child_process';
import { basename, dirname } from 'node:path';

/**
 * `node dist/shared/supervise.js node dist/services/mapper/main.js`: runs one service and
 * restarts it when it dies, so a `kill -9` or a crash costs a moment, not the show.
 *
 * node-foreman stops every process when one exits, and SIGKILLs them all when one is SIGKILLed,
 * so each Procfile line runs its service under this supervisor instead:
 * - the service is restarted after RESTART_DELAY_MS (250) when it dies of a signal or exits with
 *   an error; its Last Will shows `offline`, the new process publishes `online`;
 * - exit code 2 (bad configuration) is not retried: the supervisor exits 2 and foreman stops;
 * - more than MAX_QUICK_RESTARTS (5) deaths in a row, each within 2 s of its start, and the
 *   supervisor gives up with the service's exit code;
 * - SIGINT/SIGTERM/SIGHUP are passed on once; the supervisor then exits as the service did.
 * The service runs in its own process group (a terminal's Ctrl-C reaches it once, from here)
 * with an IPC channel: if the supervisor itself is killed, the service sees the channel close
 * and stops gracefully (shared/run-service.ts).
 */
const CONFIG_ERROR_EXIT = 2;
const QUICK_MS = 2_000;

const [command, ...args] = process.argv.slice(2);
if (!command) {
  process.stderr.write('usage: supervise.js COMMAND [ARGS...]\n');
  process.exit(64);
}
const delayMs = Number(process.env.RESTART_DELAY_MS ?? 250);
const maxQuick = Number(process.env.MAX_QUICK_RESTARTS ?? 5);
const name = args.find((a) => a.endsWith('main.js')) ? basename(dirname(args.find((a) => a.endsWith('main.js'))!)) : basename(command);
const say = (text: string) => process.stderr.write(`supervise ${name}: ${text}\n`);

let child: ChildProcess | undefined;
let stopping: NodeJS.Signals | undefined;
let quickDeaths = 0;

function start(): void {
  const startedAt = Date.now();
  const running = spawn(command!, args, { stdio: ['inherit', 'inherit', 'inherit', 'ipc'], detached: true });
  child = running;
  running.on('error', (error) => {
    say(`cannot start ${command}: ${error.message}`);
    process.exit(1);
  });
  running.on('exit', (code, signal) => {
    child = undefined;
    if (stopping) process.exit(code ?? 0);
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    if (code === CONFIG_ERROR_EXIT) {
      say(`${how} (configuration error): not restarting`);
      process.exit(CONFIG_ERROR_EXIT);
    }
    if (code === 0 && !signal) process.exit(0);
    quickDeaths = Date.now() - startedAt < QUICK_MS ? quickDeaths + 1 : 0;
    if (quickDeaths > maxQuick) {
      say(`${how}, ${quickDeaths} times in a row within ${QUICK_MS / 1000} s of starting: giving up`);
      process.exit(code ?? 1);
    }
    const wait = delayMs * 2 ** Math.max(0, quickDeaths - 1);
    say(`pid ${running.pid} ${how}; restarting in ${wait} ms`);
    setTimeout(() => (stopping ? process.exit(0) : start()), wait);
  });
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = signal;
    if (!child) process.exit(0);
    child.kill(signal);
  });
}

start();
