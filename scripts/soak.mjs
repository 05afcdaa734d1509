#!/usr/bin/env node
// Soak benchmark, not a test: RATE messages a second through broker → mapper → synth for
// SECONDS, printing memory every 10 s, to show nothing grows without bound under a flood.
// The broker runs in this process; the mapper and the synth (SYNTH_OUTPUT=none) run as their own
// processes under the supervisor, as in the Procfile.
//   npm run build && node scripts/soak.mjs [SECONDS=600] [RATE=5000]
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import mqtt from 'mqtt';
import { startBroker } from '../dist/services/broker/broker.js';
import { createHooks } from '../dist/services/broker/hooks.js';
import { makeTopics } from '../dist/shared/contract/topics.js';

const seconds = Number(process.argv[2] ?? 600);
const rate = Number(process.argv[3] ?? 5000);
const password = 'soak-secret';
const topics = makeTopics('openwest');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const mb = (bytes) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const rssOf = (pid) => {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
};

const hooks = createHooks({ serviceUsername: 'service', servicePassword: password, prefix: topics.prefix });
const broker = await startBroker({ host: '127.0.0.1', port: 0, wsPort: 0, prefix: topics.prefix, hooks });
const url = `mqtt://127.0.0.1:${broker.port}`;
const env = {
  ...process.env,
  MQTT_URL: url,
  SERVICE_PASSWORD: password,
  LOG_LEVEL: 'warn',
  SYNTH_OUTPUT: 'none',
  STATS_INTERVAL_MS: '2000',
  SUPERVISE_STANDBY: '0',
};
const children = ['mapper', 'synth'].map((name) =>
  spawn(process.execPath, ['dist/services/supervisor/main.js', 'node', `dist/services/${name}/main.js`], {
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  }),
);

// If this script dies, its supervisors must not outlive it.
process.on('exit', () => children.forEach((c) => c.exitCode === null && c.kill('SIGTERM')));

const watcher = await mqtt.connectAsync(url, { protocolVersion: 4, username: 'service', password });
const stats = {};
const pids = {};
watcher.on('message', (topic, payload) => {
  const m = JSON.parse(payload.toString());
  if (topic.includes('/status/') && m.state === 'online') pids[m.service] = m.pid;
  if (topic.includes('/stats/')) stats[m.service] = m;
});
await watcher.subscribeAsync([topics.statusAll, topics.statsAll]);
while (!pids.mapper || !pids.synth) await sleep(50);

const publisher = await mqtt.connectAsync(url, { protocolVersion: 4, username: 'service', password });
publisher.stream.setNoDelay?.(true);
let sent = 0;
const started = performance.now();
const tick = setInterval(() => {
  const due = Math.floor(((performance.now() - started) / 1000) * rate) - sent;
  for (let i = 0; i < due; i++, sent++) publisher.publish(topics.instrument(1 + (sent % 16)), String(30 + (sent % 61)));
}, 5);

const samples = [];
const sample = () => {
  const s = {
    t: Math.round((performance.now() - started) / 1000),
    sent,
    mapperNotes: stats.mapper?.notes ?? 0,
    synthPlayed: stats.synth?.played ?? 0,
    // dropped and counted: by the broker (no listener, session queue full), while a service was offline
    unheard: hooks.counters.unheard,
    queueDropped: hooks.counters.queueDropped,
    droppedWhileOffline: (stats.mapper?.droppedWhileOffline ?? 0) + (stats.synth?.droppedWhileOffline ?? 0),
    brokerRssMB: mb(process.memoryUsage().rss),
    brokerHeapMB: mb(process.memoryUsage().heapUsed),
    mapperRssMB: mb(rssOf(pids.mapper)),
    synthRssMB: mb(rssOf(pids.synth)),
  };
  samples.push(s);
  console.log(JSON.stringify(s));
};
const sampler = setInterval(sample, 10_000);
await sleep(seconds * 1000);
clearInterval(tick);
clearInterval(sampler);
await sleep(3_000);
sample();

const summary = {};
for (const key of ['brokerRssMB', 'brokerHeapMB', 'mapperRssMB', 'synthRssMB']) {
  const values = samples.map((s) => s[key]);
  const warm = values.slice(Math.min(2, values.length - 1));
  summary[key] = { first: values[0], afterWarmUp: warm[0], last: values.at(-1), max: Math.max(...values) };
}
const last = samples.at(-1);
console.log(
  JSON.stringify({
    seconds,
    rate,
    achievedRate: Math.round(sent / seconds),
    sent,
    mapperNotes: last.mapperNotes,
    synthPlayed: last.synthPlayed,
    unheard: last.unheard,
    queueDropped: last.queueDropped,
    droppedWhileOffline: last.droppedWhileOffline,
    memory: summary,
  }),
);

for (const child of children) child.kill('SIGINT');
await Promise.all(children.map((c) => new Promise((r) => c.once('exit', r))));
await publisher.endAsync();
await watcher.endAsync();
await broker.close(0);
