import { describe, expect, it } from 'vitest';
import { topicMatcher } from '../../shared/contract/topics.js';
import { topicMatches } from '../helpers/topic-matches.js';

const cases: [string, string, boolean][] = [
  ['openwest/instruments/#', 'openwest/instruments/1', true],
  ['openwest/instruments/#', 'openwest/instruments/1/2', true],
  ['openwest/instruments/#', 'openwest/instruments', true],
  ['openwest/instruments/#', 'openwest/instrumentsX/1', false],
  ['openwest/notes/+', 'openwest/notes/1', true],
  ['openwest/notes/+', 'openwest/notes/', true],
  ['openwest/notes/+', 'openwest/notes', false],
  ['openwest/notes/+', 'openwest/notes/1/2', false],
  ['openwest/notes/+', 'openwest/played/1', false],
  ['openwest/notes/+', 'openwest/notesX/1', false],
  ['openwest/+/1', 'openwest/notes/1', true],
  ['openwest/+/1', 'openwest/notes/12', false],
  ['openwest/errors', 'openwest/errors', true],
  ['openwest/errors', 'openwest/errors/x', false],
  ['#', 'anything/at/all', true],
];

describe('compiled topic filter', () => {
  it.each(cases)('filter %s on %s: %s, as topicMatches says', (filter, topic, expected) => {
    expect(topicMatcher(filter)(topic)).toBe(expected);
    expect(topicMatches(filter, topic)).toBe(expected);
  });
});
