import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { commonEnv } from '../../shared/runtime/config.js';
import { runService } from '../../shared/runtime/run-service.js';
import { helpText, settingRows } from '../../shared/runtime/settings-doc.js';
import { parsePlayerArgs } from './args.js';
import { findScore, shippedScores } from './find-score.js';
import { startPlayer } from './player.js';
import { parseScore, ScoreError, type Score } from './score.js';

const usage = () => `Usage: npm run play -- <score> [--instrument N] [--bpm B] [--loop] [--tempo]

Plays a score by publishing its values to <prefix>/performer/N (the performer's lane) over MQTT, on time.
  <score>           a file, or the name of a shipped score: ${shippedScores().join(', ') || '(none found)'}
  --instrument, -i  instrument 1-16 (default: the score's "instrument:", else 1)
  --bpm, -b         beats per minute 20-400 (default: the score's "bpm:", else 120)
  --loop, -l        start again at the end, until Ctrl-C
  --tempo, -t       set the room's tempo (<prefix>/tempo) to the score's: audience notes land on its sixteenths
Score format: docs/services/player.md.

Connects like every service (environment, or .env read as foreman does; docs/services/README.md):
${helpText(settingRows(commonEnv))}`;

function fail(message: string): never {
  process.stderr.write(`play: ${message}\n`);
  process.exit(2);
}

// The score is read before anything connects: a bad one stops here with its line and reason.
const parsed = parsePlayerArgs(process.argv.slice(2));
if (!parsed.ok) {
  if (parsed.help) {
    process.stdout.write(`${usage()}\n`);
    process.exit(0);
  }
  fail(`${parsed.reason}\n\n${usage()}`);
}
const { args } = parsed;
const file =
  findScore(args.score) ?? fail(`no score "${args.score}": give a file, or one of ${shippedScores().join(', ')}`);
let score: Score;
try {
  score = parseScore(
    readFileSync(file, 'utf8'),
    file === resolve(args.score) ? args.score : relative(process.cwd(), file),
  );
} catch (error) {
  fail(error instanceof ScoreError ? error.message : `cannot read ${file}: ${(error as Error).message}`);
}
const options = {
  bpm: args.bpm ?? score.bpm,
  instrument: args.instrument ?? score.instrument,
  loop: args.loop,
  tempo: args.tempo,
};

// Started by hand (`npm run play`), the player reads .env as foreman does for the services, so it
// logs in with the SERVICE_PASSWORD npm start made: only services may play the performer's lane.
// What the environment sets wins over the file.
if (existsSync('.env')) process.loadEnvFile('.env');

await runService('player', commonEnv, async (config, log) => {
  const player = await startPlayer(config, log, { ...score, title: score.title ?? args.score }, options, () => {
    void player.stop().then(() => process.exit(0));
  });
  return player;
});
