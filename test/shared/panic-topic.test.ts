import { describe, expect, it } from 'vitest';
import { delivery } from '../../shared/contract/contract.js';
import { makeTopics, topicKind } from '../../shared/contract/topics.js';

describe('the panic topic in the contract', () => {
  it('sits under the prefix, carries kind panic, and is never retained', () => {
    const topics = makeTopics('stage');
    expect(topics.panic).toBe('stage/panic');
    expect(topicKind(topics, 'stage/panic')).toBe('panic');
    expect(delivery.panic).toEqual({ qos: 1, retain: false });
  });
});
