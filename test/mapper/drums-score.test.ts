import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { map, VirtualTimeScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { defaultInstruments } from '../../services/mapper/instruments.js';
import type { MapperOutput } from '../../services/mapper/mapper-output.js';
import { mapValues } from '../../services/mapper/pipeline.js';
import { playScore } from '../../services/player/play-score.js';
import { parseScore } from '../../services/player/score.js';
import { makeTopics } from '../../shared/contract/topics.js';
import { msg } from '../helpers/messages.js';
import { repoRoot } from '../helpers/procfile.js';

const topics = makeTopics();
const drums = parseScore(readFileSync(resolve(repoRoot, 'scores/drums.score'), 'utf8'), 'drums.score');

describe('scores/drums.score sent by the audience, at its tempo, through the default table (virtual time)', () => {
  it('plays every value, its "+" chords whole, even looped at twice its tempo', () => {
    for (const bpm of [drums.bpm, drums.bpm * 2]) {
      const clock = new VirtualTimeScheduler();
      const outputs: MapperOutput[] = [];
      // Four passes: the score's every onset, on the audience's lane (the rules apply there).
      const passes = 4;
      let sent = 0;
      playScore(drums, { bpm, instrument: drums.instrument, loop: true }, clock)
        .pipe(
          map((hit) => {
            sent += 1;
            return msg(topics.instrument(hit.instrument), String(hit.value));
          }),
          (values$) => mapValues({ topics, instruments: defaultInstruments, scheduler: clock })(values$),
        )
        .subscribe((o) => outputs.push(o));
      clock.maxFrames = ((drums.lengthBeats * 60_000) / bpm) * passes - 1;
      clock.flush();
      const chords = drums.onsets.filter((o) => o.values.length > 1).length;
      expect(chords, 'the score has chords').toBeGreaterThan(0);
      expect(sent).toBe(drums.onsets.reduce((n, o) => n + o.values.length, 0) * passes);
      expect(outputs.filter((o) => o.kind !== 'note')).toEqual([]);
      expect(outputs).toHaveLength(sent);
    }
  });
});
