import { describe, expect, it } from 'vitest';
import { awayText } from '../../web/stage/stage-lines.js';

describe('stage lines', () => {
  it('names the show’s services that are away, and says nothing while all are online', () => {
    expect(awayText({})).toBe('');
    expect(awayText({ mapper: 'online' })).toBe('');
    expect(awayText({ synth: 'offline', mapper: 'online' })).toBe('the synth is away');
    expect(awayText({ synth: 'offline', mapper: 'offline', sensor: 'offline' })).toBe(
      'the mapper, the sensor and the synth are away',
    );
  });

  it('does not call a finished tool away (the score player), nor a service it cannot hear of', () => {
    expect(awayText({ player: 'offline', mapper: 'online' })).toBe('');
    expect(awayText({ mapper: 'unknown', synth: 'unknown' })).toBe('');
  });
});
