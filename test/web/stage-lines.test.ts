import { describe, expect, it } from 'vitest';
import type { Status } from '../../shared/contract/contract.js';
import { awayText } from '../../web/stage/stage-lines.js';

describe('stage lines', () => {
  const status = (service: string, state: Status['state']): Status => ({ service, state, pid: 1, startedAt: 0 });

  it('names the services that are away, and says nothing while all are online', () => {
    expect(awayText({})).toBe('');
    expect(awayText({ mapper: status('mapper', 'online') })).toBe('');
    expect(awayText({ synth: status('synth', 'offline'), mapper: status('mapper', 'online') })).toBe(
      'the synth is away',
    );
    expect(
      awayText({
        synth: status('synth', 'offline'),
        mapper: status('mapper', 'offline'),
        sensor: status('sensor', 'offline'),
      }),
    ).toBe('the mapper, the sensor and the synth are away');
  });
});
