import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { makeTopics, parseInstrumentTopic, topicKind, topicMatcher } from '../../shared/contract/topics.js';
import { topicMatches } from '../helpers/topic-matches.js';

const topics = makeTopics();

describe('instrument topics', () => {
  it('every one of the 16 is known to the topics built for a prefix, and nothing else is', () => {
    expect([...topics.instrumentNumbers.values()]).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    expect(parseInstrumentTopic(makeTopics('other'), 'openwest/instruments/1')).toMatchObject({
      ok: false,
      code: 'not-instrument-topic',
    });
  });

  it.each([1, 2, 9, 10, 16])('accepts instrument %i', (n) => {
    expect(parseInstrumentTopic(topics, `openwest/instruments/${n}`)).toEqual({ ok: true, instrument: n });
  });

  it.each([
    ['openwest/instruments/0', /1-16/],
    ['openwest/instruments/17', /1-16/],
    ['openwest/instruments/01', /leading zeros/],
    ['openwest/instruments/1a', /got "1a"/],
    ['openwest/instruments/-1', /got "-1"/],
    ['openwest/instruments/ 1', /got " 1"/],
    ['openwest/instruments/1/2', /extra topic levels/],
    ['openwest/instruments/', /missing instrument number/],
    ['openwest/instruments', /missing instrument number/],
    ['openwest/instrument/1', /not an instrument topic/],
    ['other/instruments/1', /not an instrument topic/],
  ])('rejects %s with a reason', (topic, reason) => {
    const result = parseInstrumentTopic(topics, topic);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });

  it('follows the prefix', () => {
    const custom = makeTopics('stage/left');
    expect(custom.instrument(3)).toBe('stage/left/instruments/3');
    expect(parseInstrumentTopic(custom, 'stage/left/instruments/3')).toEqual({ ok: true, instrument: 3 });
    expect(parseInstrumentTopic(custom, 'openwest/instruments/3').ok).toBe(false);
  });
});

describe('topic contract', () => {
  it('builds every topic under the prefix', () => {
    expect(topics.notes(1)).toBe('openwest/notes/1');
    expect(topics.played(16)).toBe('openwest/played/16');
    expect(topics.errors).toBe('openwest/errors');
    expect(topics.status('synth')).toBe('openwest/status/synth');
    expect(topics.stats('mapper')).toBe('openwest/stats/mapper');
    expect(topics.configInstruments).toBe('openwest/config/instruments');
  });

  it('knows which payload each topic carries', () => {
    expect(topicKind(topics, 'openwest/notes/3')).toBe('notes');
    expect(topicKind(topics, 'openwest/config/instruments')).toBe('configInstruments');
    expect(topicKind(topics, 'openwest/status/synth')).toBe('status');
    expect(topicKind(topics, 'elsewhere/notes/3')).toBeUndefined();
    expect(topicKind(topics, 'openwest/nonsense')).toBeUndefined();
    expect(topicKind(topics, 'openwest/toString')).toBeUndefined(); // no inherited names
    expect(topicKind(topics, 'openwestx/notes/3')).toBeUndefined();
    expect(topicKind(topics, 'openwest/panic')).toBe('panic');
  });

  it.each([
    ['openwest/instruments/#', 'openwest/instruments/1', true],
    ['openwest/instruments/#', 'openwest/instruments/1/2', true],
    ['openwest/instruments/#', 'openwest/instruments', true],
    ['openwest/notes/+', 'openwest/notes/1', true],
    ['openwest/notes/+', 'openwest/notes/1/2', false],
    ['openwest/notes/+', 'openwest/played/1', false],
    ['openwest/errors', 'openwest/errors', true],
    ['openwest/errors', 'openwest/errors/x', false],
    ['openwest/instruments/#', 'openwest/instrumentsX/1', false],
    ['openwest/instruments/#', 'openwest/instruments1', false],
    ['#', 'anything/at/all', true],
  ])('filter %s matches %s: %s', (filter, topic, expected) => {
    expect(topicMatches(filter, topic)).toBe(expected);
    expect(topicMatcher(filter)(topic)).toBe(expected);
  });

  it('prepared matchers agree with topicMatches on generated filters and topics', () => {
    const level = fc.constantFrom('openwest', 'instruments', 'notes', '1', '', 'x');
    const name = fc.array(level, { minLength: 1, maxLength: 5 }).map((l) => l.join('/'));
    const filterText = fc
      .tuple(fc.array(fc.oneof(level, fc.constant('+')), { minLength: 0, maxLength: 4 }), fc.boolean())
      .map(([levels, multi]) => [...levels, ...(multi || levels.length === 0 ? ['#'] : [])].join('/'));
    fc.assert(
      fc.property(filterText, name, (f, t) => {
        expect(topicMatcher(f)(t)).toBe(topicMatches(f, t));
      }),
      { numRuns: 5_000 },
    );
  });
});
