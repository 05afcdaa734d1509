import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { commonEnv, ConfigError, readConfig } from '../../shared/config.js';
import { createLogger } from '../../shared/logger.js';
import { startService } from '../../shared/service.js';
import { LatencyWindow } from '../../shared/latency-window.js';
import { parsePlayerArgs } from './args.js';
import { findScore, shippedScores } from './find-score.js';
import { playScore } from './play-score.js';
import { parseScore, ScoreError } from './score.js';

const usage = () => `Usage: npm run play -- <score> [--instrument N] [--bpm B] [--loop]

Plays a score by publishing its values to <prefix>/instruments/N over MQTT, on time.
  <score>           a file, or the name of a shipped score: ${shippedScores().join(', ') || '(none found)'}
  --instrument, -i  instrument 1-16 (default: the score's "instrument:", else 1)
  --bpm, -b         beats per minute 20-400 (default: the score's "bpm:", else 120)
  --loop, -l        start again at the end, until Ctrl-C
Connects like every service: MQTT_URL (default the embedded broker), TOPIC_PREFIX, SERVICE_USERNAME/PASSWORD.
Score format: README, "Score player".`;

const fail = (message: string, code = 2): never => {
  process.stderr.write(`play: ${message}\n`);
  process.exit(code);
};

const parsed = parsePlayerArgs(process.argv.slice(2));
if (!parsed.ok) {
  if (parsed.help) {
    process.stdout.write(`${usage()}\n`);
    process.exit(0);
  }
  fail(`${parsed.reason}\n\n${usage()}`);
}
const args = parsed.ok ? parsed.args : fail('unreachable');

const file = findScore(args.score) ?? fail(`no score "${args.score}": give a file, or one of ${shippedScores().join(', ')}`);
let score;
try {
  score = parseScore(readFileSync(file, 'utf8'), file === resolve(args.score) ? args.score : relative(process.cwd(), file));
} catch (error) {
  if (error instanceof ScoreError) fail(error.message);
  fail(`cannot read ${file}: ${(error as Error).message}`);
}
const config = (() => {
  try {
    return readConfig(commonEnv, process.env);
  } catch (error) {
    return fail(error instanceof ConfigError ? error.message : String(error));
  }
})();

const log = createLogger('player', config);
const options = { bpm: args.bpm ?? score!.bpm, instrument: args.instrument ?? score!.instrument, loop: args.loop };
const service = await startService('player', config, log).catch((error: Error) => fail(error.message, 1));
const topic = service.topics.instrument(options.instrument);
const seconds = ((score!.lengthBeats * 60) / options.bpm).toFixed(1);
log.info(
  `playing ${score!.title ?? args.score} on ${topic} at ${options.bpm} bpm: ${score!.onsets.length} onsets, ${seconds} s${options.loop ? ', looping (Ctrl-C stops)' : ''}`,
);

let published = 0;
const lateness = new LatencyWindow();
const subscription = playScore(score!, options).subscribe({
  next: (hit) => {
    // QoS 1: every value of the score is played, or dropped and counted (README, "Score player")
    service.publish(topic, String(hit.value), { qos: 1 });
    published += 1;
    lateness.add(Date.now() - hit.dueAt);
    log.debug(`${hit.value} (line ${hit.line}, planned at ${hit.plannedMs.toFixed(0)} ms)`);
  },
  complete: () => void finish(0),
});

// A terminal's Ctrl-C reaches the player from the shell and from npm: the summary is said once.
let finishing: Promise<void> | undefined;
function finish(code: number): Promise<void> {
  return (finishing ??= summarise(code));
}
async function summarise(code: number) {
  subscription.unsubscribe();
  const late = lateness.percentiles();
  const lateText = late ? `; late against the score by median ${late.p50} ms, max ${late.max} ms` : '';
  log.info(`published ${published} values${lateText}`);
  await service.stop();
  process.exit(code);
}
process.on('SIGINT', () => void finish(0));
process.on('SIGTERM', () => void finish(0));
