import { describe, expect, it } from 'vitest';
import type { Rejection } from '../../shared/contract/contract.js';
import { makeTopics } from '../../shared/contract/topics.js';
import {
  PAD_ANSWER_MS,
  padAnswerMs,
  padLine,
  stepPad,
  type PadInput,
  type PadOutcome,
  type PadPending,
} from '../../web/state/pad-feedback.js';
import { noteEvent } from '../helpers/messages.js';

const topics = makeTopics('openwest');
const topicOf = (instrument: number) => topics.instrument(instrument);
const bass = { name: 'Bass', drums: false };
const drums = { name: 'Drums', drums: true };

const sent = (instrument: number, value: number, at: number): PadInput => ({
  kind: 'sent',
  send: { instrument, value, at },
});
const note = (instrument: number, value: number, played: number, name: string, at: number): PadInput => ({
  kind: 'note',
  note: noteEvent({ instrument, value, note: played, name }),
  at,
});
const refusal = (topic: string, payload: string, reason: string, at: number): PadInput => ({
  kind: 'rejection',
  rejection: { service: 'mapper', topic, payload, reason, at: 1 } satisfies Rejection,
  at,
});
const tick = (at: number): PadInput => ({ kind: 'tick', at });

/** Every outcome of feeding `inputs` in order (plain page timestamps, no clock). */
function run(inputs: PadInput[]): { outcomes: PadOutcome[]; pending: PadPending } {
  let pending: PadPending = [];
  const outcomes: PadOutcome[] = [];
  for (const input of inputs) {
    const step = stepPad(pending, input, topicOf);
    pending = step.pending;
    outcomes.push(...step.outcomes);
  }
  return { outcomes, pending };
}

describe('the pad says what played', () => {
  it('names the note that came back, not the value sent: Bass 62 plays D3', () => {
    const { outcomes, pending } = run([sent(2, 62, 1_000), note(2, 62, 50, 'D3', 1_004)]);
    expect(outcomes.map((o) => padLine(o, bass))).toEqual(['Bass played D3']);
    expect(pending).toEqual([]);
  });

  it('names the drum on a drum instrument, not a pitch', () => {
    const { outcomes } = run([sent(10, 38, 0), note(10, 38, 38, 'D2', 3)]);
    expect(outcomes.map((o) => padLine(o, drums))).toEqual(['Drums played Snare']);
  });

  it(`says "too fast — not played" when nothing comes back within ${PAD_ANSWER_MS} ms`, () => {
    const { outcomes, pending } = run([sent(1, 60, 0), tick(PAD_ANSWER_MS), tick(PAD_ANSWER_MS + 1)]);
    expect(outcomes.map((o) => padLine(o, bass))).toEqual(['too fast — not played']);
    expect(pending).toEqual([]);
  });

  it('a note that comes back late does not turn "too fast" into "played"', () => {
    const { outcomes } = run([sent(1, 60, 0), note(1, 60, 60, 'C4', PAD_ANSWER_MS + 50)]);
    expect(outcomes.map((o) => o.kind)).toEqual(['too-fast']);
  });

  it('ten quick taps of one key where five notes play: five played, five too fast', () => {
    const inputs: PadInput[] = [];
    for (let i = 0; i < 10; i++) inputs.push(sent(5, 64, i * 20));
    for (let i = 0; i < 5; i++) inputs.push(note(5, 64, 64, 'E4', 200 + i));
    inputs.push(tick(1_000));
    const { outcomes, pending } = run(inputs);
    expect(outcomes.filter((o) => o.kind === 'played')).toHaveLength(5);
    expect(outcomes.filter((o) => o.kind === 'too-fast')).toHaveLength(5);
    expect(pending).toEqual([]);
    // The oldest sends are the ones answered.
    expect(outcomes.filter((o) => o.kind === 'played').map((o) => o.send.at)).toEqual([0, 20, 40, 60, 80]);
  });

  it('only a note of the same instrument and value answers a send', () => {
    const { outcomes, pending } = run([
      sent(2, 62, 0),
      note(1, 62, 62, 'D4', 1), // another instrument
      note(2, 64, 52, 'E3', 2), // another value
    ]);
    expect(outcomes).toEqual([]);
    expect(pending).toHaveLength(1);
  });

  it('says "refused: <reason>" for a rejection of its payload on its instrument topic', () => {
    const { outcomes } = run([
      sent(3, 70, 0),
      refusal('openwest/instruments/4', '70', 'elsewhere', 1), // another topic: not ours
      refusal('openwest/instruments/3', '71', 'other value', 2), // another payload: not ours
      refusal('openwest/instruments/3', '70', 'rate limit: 20 values/s per client', 3),
    ]);
    expect(outcomes.map((o) => padLine(o, bass))).toEqual(['refused: rate limit: 20 values/s per client']);
  });

  it('a note with nothing sent is not the pad’s business', () => {
    expect(run([note(1, 60, 60, 'C4', 0), tick(1_000)]).outcomes).toEqual([]);
  });

  it('names an instrument the page has no lane for by its number', () => {
    const { outcomes } = run([sent(7, 60, 0), note(7, 60, 60, 'C4', 1)]);
    expect(padLine(outcomes[0]!, undefined)).toBe('Instrument 7 played C4');
  });
});

describe('the pad while the room has a tempo', () => {
  const tempo = (bpm: number, steps: 2 | 4) => ({ bpm, steps, since: 0 });

  it('waits one grid step longer, since the mapper holds an audience note up to one step', () => {
    expect(padAnswerMs(null)).toBe(PAD_ANSWER_MS);
    expect(padAnswerMs(tempo(60, 2))).toBe(PAD_ANSWER_MS + 500);
    expect(padAnswerMs(tempo(120, 4))).toBe(PAD_ANSWER_MS + 125);
  });

  it('says a note quantised 500 ms later played, where without a tempo it would be too fast', () => {
    const late = [sent(2, 50, 0), tick(450), note(2, 50, 38, 'D2', 700)];
    const withTempo = (() => {
      let pending: PadPending = [];
      const outcomes: PadOutcome[] = [];
      for (const input of late) {
        const step = stepPad(pending, input, topicOf, padAnswerMs(tempo(60, 2)));
        pending = step.pending;
        outcomes.push(...step.outcomes);
      }
      return outcomes;
    })();
    expect(withTempo.map((o) => o.kind)).toEqual(['played']);
    expect(run(late).outcomes.map((o) => o.kind)).toEqual(['too-fast']);
  });
});
