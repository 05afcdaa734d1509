import { TEMPO_BPM_RANGE } from '../../shared/contract/contract.js';
import type { CommonConfig } from '../../shared/runtime/config.js';
import { LatencyWindow } from '../../shared/contract/latency-window.js';
import type { Logger } from '../../shared/runtime/logger.js';
import type { Running } from '../../shared/runtime/run-service.js';
import { startService } from '../../shared/runtime/service.js';
import { playScore, type PlayOptions } from './play-score.js';
import type { Score } from './score.js';

/**
 * Plays `score` on its instrument's topic, each value at its time, then stops (a loop plays
 * until stopped). Says at the end how many values it published and how late it was.
 */
export async function startPlayer(
  config: CommonConfig,
  log: Logger,
  score: Score,
  options: PlayOptions & { tempo?: boolean },
  onEnd: () => void,
): Promise<Running> {
  const service = await startService('player', config, log);
  if (options.tempo) {
    // The room keeps the score's time (audience notes land on its sixteenths) until someone sets another.
    const bpm = Math.min(options.bpm, TEMPO_BPM_RANGE.max);
    service.publish(service.topics.tempo, { bpm, steps: 4, since: Date.now() });
    log.info(`set the room's tempo to ${bpm} bpm`);
  }
  const topic = service.topics.performer(options.instrument);
  const seconds = ((score.lengthBeats * 60) / options.bpm).toFixed(1);
  log.info(
    `playing ${score.title ?? 'the score'} on ${topic} at ${options.bpm} bpm: ${score.onsets.length} onsets, ${seconds} s${options.loop ? ', looping (Ctrl-C stops)' : ''}`,
  );

  let published = 0;
  const lateness = new LatencyWindow();
  const subscription = playScore(score, options).subscribe({
    next: (hit) => {
      // QoS 1: every value of the score is played, or dropped and counted (docs/services/player.md)
      service.publish(topic, String(hit.value), { qos: 1 });
      published += 1;
      lateness.add(Date.now() - hit.dueAt);
      log.debug(`${hit.value} (line ${hit.line}, planned at ${hit.plannedMs.toFixed(0)} ms)`);
    },
    complete: () => setImmediate(onEnd), // after start-up has returned, even for a score with no notes
  });

  let stopping: Promise<void> | undefined;
  return {
    stop: () =>
      (stopping ??= (async () => {
        subscription.unsubscribe();
        const late = lateness.percentiles();
        const lateText = late ? `; late against the score by median ${late.p50} ms, max ${late.max} ms` : '';
        log.info(`published ${published} values${lateText}`);
        await service.stop();
      })()),
  };
}
