#!/usr/bin/env node
// Benchmark, not a test: how long a supervised service is gone after `kill -9`.
// Runs the embedded broker in this process and the mapper under dist/services/supervisor/main.js, kills
// the mapper ROUNDS times (waiting for the standby to warm up in between) and prints, for each,
// the time from the kill to its new `online` status.
//   npm run build && node scripts/bench-restart.mjs [ROUNDS=5] [STANDBY=1]
import { spawn } from 'node:child_process';
import mqtt from 'mqtt';
import { startBroker } from '../dist/services/broker/broker.js';
import { createHooks } from '../dist/services/broker/hooks.js';
import { makeTopics } from '../dist/shared/contract/topics.js';

const rounds = Number(process.argv[2] ?? 5);
const standby = process.argv[3] ?? '1';
const password = 'bench-secret';
const topics = makeTopics('openwest');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const broker = await startBroker({
  host: '127.0.0.1',
  port: 0,
  wsPort: 0,
  prefix: topics.prefix,
  hooks: createHooks({ serviceUsername: 'service', servicePassword: password, prefix: topics.prefix }),
});
const url = `mqtt://127.0.0.1:${broker.port}`;
const watcher = await mqtt.connectAsync(url, { protocolVersion: 4 });
const statuses = [];
watcher.on('message', (_t, p) => statuses.push({ ...JSON.parse(p.toString()), seenAt: performance.now() }));
await watcher.subscribeAsync(topics.status('mapper'));

const supervisor = spawn(
  process.execPath,
  ['dist/services/supervisor/main.js', 'node', 'dist/services/mapper/main.js'],
  {
    env: { ...process.env, MQTT_URL: url, SERVICE_PASSWORD: password, SUPERVISE_STANDBY: standby, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  },
);
process.on('exit', () => supervisor.exitCode === null && supervisor.kill('SIGTERM'));
const online = async (notPid, from = 0) => {
  for (;;) {
    const s = statuses.slice(from).find((x) => x.state === 'online' && x.pid !== notPid);
    if (s) return s;
    await sleep(5);
  }
};
let current = await online(-1);
const times = [];
for (let i = 0; i < rounds; i++) {
  await sleep(6_000); // let the new standby load its code
  const from = statuses.length;
  const killedAt = performance.now();
  process.kill(current.pid, 'SIGKILL');
  current = await online(current.pid, from);
  times.push(Math.round(current.seenAt - killedAt));
}
console.log(
  JSON.stringify({
    standby: standby === '1',
    rounds,
    msBackOnline: times,
    median: times.sort((a, b) => a - b)[Math.floor(times.length / 2)],
  }),
);
supervisor.kill('SIGINT');
await new Promise((r) => supervisor.once('exit', r));
await watcher.endAsync();
await broker.close(0);
