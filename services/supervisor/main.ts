#!/usr/bin/env node
import { spawn, type ChildProcess } from 'node:child_process';
import { basename, dirname } from 'node:path';
import { ConfigError, readConfig } from '../../shared/runtime/config.js';
import { helpText, settingRows } from '../../shared/runtime/settings-doc.js';
import { STANDBY_ENV, TAKE_OVER } from '../../shared/runtime/standby.js';
import { supervisorEnv, type SupervisorConfig } from './config.js';

/**
 * `node dist/services/supervisor/main.js node dist/services/mapper/main.js`: runs one service and
 * brings it back when it dies, so a `kill -9` or a crash costs a moment, not the show.
 *
 * node-foreman stops every process when one exits, and SIGKILLs them all when one is SIGKILLed,
 * so each Procfile line runs its service under this supervisor instead:
 * - a warm standby (a second copy with its code loaded, waiting: shared/runtime/run-service.ts) takes
 *   over at once when the service dies of a signal or exits with an error; a new standby is
 *   started STANDBY_DELAY_MS later. Without a standby the service is started again after
 *   RESTART_DELAY_MS. Its Last Will shows `offline`, the new process publishes `online`;
 * - exit code 2 (bad configuration) is not retried: the supervisor exits 2 and foreman stops;
 * - more than MAX_QUICK_RESTARTS deaths in a row, each within 2 s of its start, and the
 *   supervisor gives up with the service's exit code;
 * - SIGINT/SIGTERM/SIGHUP are passed on once; the supervisor then exits as the service did.
 * Services run in their own process group (a terminal's Ctrl-C reaches them once, from here)
 * with an IPC channel: if the supervisor itself is killed, they see the channel close and stop
 * gracefully. SUPERVISE_STANDBY=0 turns the standby off. The settings: services/supervisor/config.ts.
 */
const CONFIG_ERROR_EXIT = 2;
const QUICK_MS = 2_000;

const usage = 'usage: services/supervisor/main.js COMMAND [ARGS...]';
const [command, ...args] = process.argv.slice(2);
if (command === '--help' || command === '-h') {
  process.stdout.write(
    `${usage}\nRuns one service and brings it back when it dies (docs/services/supervisor.md).\n\n` +
      `Settings (environment or .env):\n${helpText(settingRows(supervisorEnv))}\n`,
  );
  process.exit(0);
}
if (!command) {
  process.stderr.write(`${usage}\n`);
  process.exit(64);
}
let settings: SupervisorConfig;
try {
  settings = readConfig(supervisorEnv, process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`supervise: ${error.message}\n`);
  process.exit(CONFIG_ERROR_EXIT);
}
const delayMs = settings.RESTART_DELAY_MS;
// The standby loads after the service is up, so the two do not compete for the CPU at start-up
// (five services and five standbys at once made `npm start` take seconds longer on two cores).
const standbyDelayMs = settings.STANDBY_DELAY_MS;
const maxQuick = settings.MAX_QUICK_RESTARTS;
let standbyWanted = settings[STANDBY_ENV] === '1';
const mainFile = args.find((a) => a.endsWith('main.js'));
const name = mainFile ? basename(dirname(mainFile)) : basename(command);
const say = (text: string) => process.stderr.write(`supervise ${name}: ${text}\n`);

let active: ChildProcess | undefined;
let activeSince = 0;
let standby: ChildProcess | undefined;
let stopping: NodeJS.Signals | undefined;
let quickDeaths = 0;

const running = (child: ChildProcess | undefined): child is ChildProcess =>
  !!child && child.exitCode === null && child.signalCode === null && child.connected;

function spawnCopy(asStandby: boolean): ChildProcess {
  const child = spawn(command!, args, {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    detached: true,
    env: { ...process.env, [STANDBY_ENV]: asStandby ? '1' : '0' },
  });
  child.on('error', (error) => {
    say(`cannot start ${command}: ${error.message}`);
    process.exit(1);
  });
  return child;
}

function activate(child: ChildProcess): void {
  active = child;
  activeSince = Date.now();
  child.once('exit', (code, signal) => onActiveExit(child, code, signal));
}

function startStandby(): void {
  if (!standbyWanted || stopping || running(standby)) return;
  const child = spawnCopy(true);
  standby = child;
  child.once('exit', (code, signal) => {
    if (standby !== child || stopping) return;
    standby = undefined;
    standbyWanted = false;
    say(`the standby exited (${signal ?? `code ${code}`}) before it was needed: restarts will be cold`);
  });
}

function onActiveExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
  if (active !== child) return;
  active = undefined;
  if (stopping) return exitWith(code);
  const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
  if (code === CONFIG_ERROR_EXIT) {
    say(`${how} (configuration error): not restarting`);
    return exitWith(CONFIG_ERROR_EXIT);
  }
  if (code === 0 && !signal) return exitWith(0);
  quickDeaths = Date.now() - activeSince < QUICK_MS ? quickDeaths + 1 : 0;
  if (quickDeaths > maxQuick) {
    say(`${how}, ${quickDeaths} times in a row within ${QUICK_MS / 1000} s of starting: giving up`);
    return exitWith(code ?? 1);
  }
  if (running(standby) && quickDeaths <= 1) {
    const next = standby;
    standby = undefined;
    say(`pid ${child.pid} ${how}; standby pid ${next.pid} takes over`);
    next.send(TAKE_OVER);
    activate(next);
    setTimeout(startStandby, standbyDelayMs).unref();
    return;
  }
  const wait = delayMs * 2 ** Math.max(0, quickDeaths - 1);
  say(`pid ${child.pid} ${how}; restarting in ${wait} ms`);
  setTimeout(() => {
    if (stopping) return exitWith(0);
    activate(spawnCopy(false));
    setTimeout(startStandby, standbyDelayMs).unref();
  }, wait);
}

function exitWith(code: number | null): void {
  if (running(standby)) standby.kill('SIGTERM');
  process.exit(code ?? 0);
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = signal;
    if (running(standby)) standby.kill('SIGTERM');
    if (!active) process.exit(0);
    active.kill(signal);
  });
}

activate(spawnCopy(false));
setTimeout(startStandby, standbyDelayMs).unref();
